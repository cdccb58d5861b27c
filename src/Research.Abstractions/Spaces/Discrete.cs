namespace Research.Abstractions.Spaces;

/// <summary>The integers {start, …, start + n − 1}, Gymnasium's <c>Discrete(n, start)</c>.</summary>
public sealed class Discrete : Space
{
    /// <summary>Creates a discrete space of <paramref name="n"/> values beginning at <paramref name="start"/>.</summary>
    public Discrete(int n, int start = 0)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "Discrete: n must be positive.");
        N = n;
        Start = start;
    }

    /// <summary>Number of values.</summary>
    public int N { get; }

    /// <summary>The smallest value.</summary>
    public int Start { get; }

    public override IReadOnlyList<int> Shape => [];
    public override string DType => "int64";
    public override int FlatSize => 1;

    public override string? Explain(ReadOnlySpan<float> value)
    {
        if (CheckLength(value, 1) is { } bad) return bad;
        float v = value[0];
        if (float.IsNaN(v)) return "it is NaN";
        if (v != MathF.Round(v)) return "it is not an integer";
        if (v < Start || v >= Start + N) return $"expected an integer in [{Start}, {Start + N - 1}]";
        return null;
    }

    public override void Sample(Random random, Span<float> destination) => destination[0] = Start + random.Next(N);

    public override string ToString() => Start == 0 ? $"Discrete({N})" : $"Discrete({N}, start={Start})";
}
