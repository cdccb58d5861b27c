namespace Research.Abstractions.Spaces;

/// <summary>A set of valid observations or actions, with Gymnasium's semantics, encoded as flat float32 values.</summary>
/// <remarks>
/// Every value crosses the contract as a flat <c>float</c> span of <see cref="FlatSize"/> elements:
/// a Box as its elements in C order, a Discrete as its index, a MultiDiscrete/MultiBinary as one
/// element per component, a Dict as its subspaces' encodings concatenated in key order.
/// Integer values are exact in float32 up to 2^24, far above any action count in practice.
/// </remarks>
public abstract class Space
{
    private Random _random = new();

    /// <summary>The shape of one value (Gymnasium's <c>space.shape</c>).</summary>
    public abstract IReadOnlyList<int> Shape { get; }

    /// <summary>NumPy's name of the element type (<c>float32</c>, <c>int64</c>, <c>uint8</c>, <c>int8</c>).</summary>
    public abstract string DType { get; }

    /// <summary>Number of float elements in the flat encoding of one value.</summary>
    public abstract int FlatSize { get; }

    /// <summary>True when the value is a member of this space.</summary>
    public bool Contains(ReadOnlySpan<float> value) => Explain(value) is null;

    /// <summary>Throws <see cref="SpaceMismatchException"/> naming <paramref name="owner"/> when the value is not a member.</summary>
    public void EnsureContains(ReadOnlySpan<float> value, string owner, string what = "value")
    {
        var reason = Explain(value);
        if (reason is not null)
            throw new SpaceMismatchException($"{owner}: {what} {Format(value)} is not in {this}: {reason}.");
    }

    /// <summary>Why the value is not a member, or null when it is.</summary>
    public abstract string? Explain(ReadOnlySpan<float> value);

    /// <summary>Reseeds the generator used by <see cref="Sample(Span{float})"/>.</summary>
    public void Seed(int? seed) => _random = seed is { } s ? new Random(s) : new Random();

    /// <summary>Writes a uniformly drawn member into <paramref name="destination"/> using this space's own generator.</summary>
    public void Sample(Span<float> destination) => Sample(_random, destination);

    /// <summary>Returns a uniformly drawn member using this space's own generator.</summary>
    public float[] Sample()
    {
        var value = new float[FlatSize];
        Sample(_random, value);
        return value;
    }

    /// <summary>Writes a member drawn with <paramref name="random"/> into <paramref name="destination"/>.</summary>
    public abstract void Sample(Random random, Span<float> destination);

    /// <summary>Formats a value for error messages.</summary>
    public static string Format(ReadOnlySpan<float> value)
    {
        const int shown = 8;
        var parts = new List<string>();
        for (int i = 0; i < Math.Min(value.Length, shown); i++)
            parts.Add(value[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        if (value.Length > shown) parts.Add("…");
        return value.Length == 1 ? parts[0] : "[" + string.Join(", ", parts) + "]";
    }

    protected static string FormatShape(IReadOnlyList<int> shape) =>
        shape.Count == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";

    protected static string? CheckLength(ReadOnlySpan<float> value, int expected) =>
        value.Length == expected ? null : $"expected {expected} element(s), got {value.Length}";
}

/// <summary>Raised when a value does not belong to the space it was checked against.</summary>
public sealed class SpaceMismatchException(string message) : ArgumentException(message);
