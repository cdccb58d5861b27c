namespace Research.Rl.Wrappers.Normalization;

/// <summary>
/// Scales rewards by the running standard deviation of the discounted return, as Stable-Baselines' <c>VecNormalize</c>:
/// <c>return = return · γ + reward</c>, statistics updated with the returns, <c>reward / sqrt(var + ε)</c> clipped, and
/// the return zeroed when an episode ends. One running return per environment.
/// </summary>
public sealed class ReturnNormalizer
{
    private readonly double _gamma;
    private readonly double _epsilon;
    private readonly double _clip;

    /// <summary>Creates the normalizer for <paramref name="numEnvs"/> environments.</summary>
    public ReturnNormalizer(int numEnvs, double gamma, double epsilon, double clip)
    {
        if (!(gamma >= 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Reward normalization: gamma must be in [0, 1].");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Reward normalization: epsilon must be positive.");
        if (!(clip > 0)) throw new ArgumentOutOfRangeException(nameof(clip), clip, "Reward normalization: clip must be positive.");
        _gamma = gamma;
        _epsilon = epsilon;
        _clip = clip;
        Returns = new double[numEnvs];
    }

    /// <summary>Statistics of the discounted returns (one element).</summary>
    public RunningMeanStd Statistics { get; } = new(1);

    /// <summary>The running discounted return of each environment.</summary>
    public double[] Returns { get; }

    /// <summary>Accumulates <paramref name="rewards"/> into the returns and merges the returns into the statistics.</summary>
    public void Update(ReadOnlySpan<float> rewards)
    {
        for (int i = 0; i < Returns.Length; i++) Returns[i] = Returns[i] * _gamma + rewards[i];
        Statistics.Update<double>(Returns);
    }

    /// <summary>Writes <c>clip(reward / sqrt(var + ε), ±clip)</c>.</summary>
    public void Normalize(ReadOnlySpan<float> rewards, Span<float> destination)
    {
        double scale = Math.Sqrt(Statistics.Var[0] + _epsilon);
        for (int i = 0; i < rewards.Length; i++) destination[i] = (float)Math.Clamp(rewards[i] / scale, -_clip, _clip);
    }

    /// <summary>Zeroes the return of environment <paramref name="index"/> (its episode ended).</summary>
    public void EndEpisode(int index) => Returns[index] = 0;

    /// <summary>Zeroes every return (all environments were reset).</summary>
    public void ResetReturns() => Array.Clear(Returns);

    /// <summary>Writes the statistics and the running returns.</summary>
    public void Write(BinaryWriter writer)
    {
        Statistics.Write(writer);
        writer.Write(Returns.Length);
        foreach (double r in Returns) writer.Write(r);
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    public void Read(BinaryReader reader)
    {
        Statistics.Read(reader);
        int count = reader.ReadInt32();
        if (count != Returns.Length) throw new InvalidDataException($"Reward normalization: the state has {count} returns, expected {Returns.Length}.");
        for (int i = 0; i < count; i++) Returns[i] = reader.ReadDouble();
    }
}
