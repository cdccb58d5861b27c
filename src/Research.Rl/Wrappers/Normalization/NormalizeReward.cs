using Research.Abstractions.Environments;

namespace Research.Rl.Wrappers.Normalization;

/// <summary>Settings of <see cref="NormalizeReward"/>, with <c>VecNormalize</c>'s defaults.</summary>
/// <param name="Gamma">Discount of the return whose spread scales the rewards.</param>
/// <param name="Clip">Scaled rewards are clipped to ±this.</param>
/// <param name="Epsilon">Added to the variance before the square root.</param>
/// <param name="Training">Whether the statistics are updated.</param>
public sealed record NormalizeRewardOptions(double Gamma = 0.99, double Clip = 10.0, double Epsilon = 1e-8, bool Training = true);

/// <summary>
/// Scales one environment's rewards by the running standard deviation of its discounted return, the single-env form of
/// <see cref="VectorEnvs.VecNormalize"/>'s reward normalization.
/// </summary>
public sealed class NormalizeReward : EnvWrapper
{
    private readonly ReturnNormalizer _normalizer;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public NormalizeReward(IEnv inner, NormalizeRewardOptions? options = null) : base(inner)
    {
        var o = options ?? new NormalizeRewardOptions();
        _normalizer = new ReturnNormalizer(1, o.Gamma, o.Epsilon, o.Clip);
        Training = o.Training;
    }

    /// <summary>Whether the statistics are updated; false freezes them.</summary>
    public bool Training { get; set; }

    /// <summary>Statistics of the discounted return.</summary>
    public RunningMeanStd Statistics => _normalizer.Statistics;

    public override void Reset(Span<float> observation, int? seed = null)
    {
        _normalizer.ResetReturns();
        Inner.Reset(observation, seed);
    }

    public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        var outcome = Inner.Step(action, observation);
        ReadOnlySpan<float> reward = [(float)outcome.Reward];
        Span<float> scaled = [0f];
        if (Training) _normalizer.Update(reward);
        _normalizer.Normalize(reward, scaled);
        if (outcome.Done) _normalizer.EndEpisode(0);
        return outcome with { Reward = scaled[0] };
    }

    public override void WriteState(BinaryWriter writer)
    {
        _normalizer.Write(writer);
        base.WriteState(writer);
    }

    public override void ReadState(BinaryReader reader)
    {
        _normalizer.Read(reader);
        base.ReadState(reader);
    }
}
