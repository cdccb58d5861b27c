namespace Research.Abstractions.Spaces;

/// <summary>A vector of independent discrete values, component i in {0, …, nvec[i] − 1}.</summary>
public sealed class MultiDiscrete : Space
{
    /// <summary>Creates the space from the number of values of each component.</summary>
    public MultiDiscrete(int[] nvec)
    {
        if (nvec.Length == 0 || nvec.Any(n => n <= 0))
            throw new ArgumentException("MultiDiscrete: nvec must be non-empty and positive.");
        Nvec = nvec;
    }

    /// <summary>Number of values of each component.</summary>
    public int[] Nvec { get; }

    public override IReadOnlyList<int> Shape => [Nvec.Length];
    public override string DType => "int64";
    public override int FlatSize => Nvec.Length;

    public override string? Explain(ReadOnlySpan<float> value)
    {
        if (CheckLength(value, FlatSize) is { } bad) return bad;
        for (int i = 0; i < value.Length; i++)
            if (!(value[i] >= 0 && value[i] < Nvec[i] && value[i] == MathF.Round(value[i])))
                return $"element {i} = {value[i]} is not an integer in [0, {Nvec[i] - 1}]";
        return null;
    }

    public override void Sample(Random random, Span<float> destination)
    {
        for (int i = 0; i < Nvec.Length; i++) destination[i] = random.Next(Nvec[i]);
    }

    public override string ToString() => $"MultiDiscrete([{string.Join(", ", Nvec)}])";
}
