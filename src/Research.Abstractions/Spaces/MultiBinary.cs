namespace Research.Abstractions.Spaces;

/// <summary>A vector of <see cref="N"/> bits, Gymnasium's <c>MultiBinary(n)</c>.</summary>
public sealed class MultiBinary : Space
{
    /// <summary>Creates a space of <paramref name="n"/> bits.</summary>
    public MultiBinary(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "MultiBinary: n must be positive.");
        N = n;
    }

    /// <summary>Number of bits.</summary>
    public int N { get; }

    public override IReadOnlyList<int> Shape => [N];
    public override string DType => "int8";
    public override int FlatSize => N;

    public override string? Explain(ReadOnlySpan<float> value)
    {
        if (CheckLength(value, N) is { } bad) return bad;
        for (int i = 0; i < N; i++)
            if (value[i] != 0f && value[i] != 1f) return $"element {i} = {value[i]} is not 0 or 1";
        return null;
    }

    public override void Sample(Random random, Span<float> destination)
    {
        for (int i = 0; i < N; i++) destination[i] = random.Next(2);
    }

    public override string ToString() => $"MultiBinary({N})";
}
