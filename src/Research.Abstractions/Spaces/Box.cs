using System.Globalization;

namespace Research.Abstractions.Spaces;

/// <summary>A (possibly unbounded) box in R^n, Gymnasium's <c>Box(low, high, shape, dtype)</c>.</summary>
public sealed class Box : Space
{
    private readonly int[] _shape;

    /// <summary>Creates a box with per-element bounds; <paramref name="shape"/> defaults to the bounds' length.</summary>
    public Box(float[] low, float[] high, int[]? shape = null, string dtype = "float32")
    {
        if (low.Length != high.Length)
            throw new ArgumentException($"Box: low has {low.Length} elements but high has {high.Length}.");
        _shape = shape ?? [low.Length];
        if (_shape.Aggregate(1, (a, b) => a * b) != low.Length)
            throw new ArgumentException($"Box: shape {FormatShape(_shape)} does not hold {low.Length} elements.");
        for (int i = 0; i < low.Length; i++)
            if (!(low[i] <= high[i]))
                throw new ArgumentException($"Box: low[{i}] = {low[i]} is above high[{i}] = {high[i]}.");
        Low = low;
        High = high;
        DType = dtype;
    }

    /// <summary>Creates a box whose elements share the same bounds.</summary>
    public Box(float low, float high, int[] shape, string dtype = "float32")
        : this(Filled(low, shape), Filled(high, shape), shape, dtype) { }

    /// <summary>Lower bounds, one per element.</summary>
    public float[] Low { get; }

    /// <summary>Upper bounds, one per element.</summary>
    public float[] High { get; }

    public override IReadOnlyList<int> Shape => _shape;
    public override string DType { get; }
    public override int FlatSize => Low.Length;

    /// <summary>True when every element has finite bounds on both sides.</summary>
    public bool IsBounded => Low.All(float.IsFinite) && High.All(float.IsFinite);

    public override string? Explain(ReadOnlySpan<float> value)
    {
        if (CheckLength(value, FlatSize) is { } bad) return bad;
        for (int i = 0; i < value.Length; i++)
        {
            float v = value[i];
            if (float.IsNaN(v)) return $"element {i} is NaN";
            if (v < Low[i] || v > High[i])
                return $"element {i} = {v.ToString("R", CultureInfo.InvariantCulture)} is outside [{Low[i]}, {High[i]}]";
            if (DType != "float32" && DType != "float64" && v != MathF.Round(v))
                return $"element {i} = {v} is not an integer of dtype {DType}";
        }
        return null;
    }

    public override void Sample(Random random, Span<float> destination)
    {
        // Gymnasium's rule: uniform on bounded, exponential on half-bounded, normal on unbounded elements.
        for (int i = 0; i < FlatSize; i++)
        {
            float lo = Low[i], hi = High[i];
            double x;
            if (float.IsFinite(lo) && float.IsFinite(hi)) x = lo + random.NextDouble() * ((double)hi - lo);
            else if (float.IsFinite(lo)) x = lo - Math.Log(1 - random.NextDouble());
            else if (float.IsFinite(hi)) x = hi + Math.Log(1 - random.NextDouble());
            else x = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            if (DType != "float32" && DType != "float64") x = Math.Floor(x);
            destination[i] = Math.Clamp((float)x, lo, hi);
        }
    }

    public override string ToString()
    {
        string Bound(float[] b) => b.All(x => x == b[0]) ? b[0].ToString("R", CultureInfo.InvariantCulture) : Format(b);
        return $"Box({Bound(Low)}, {Bound(High)}, {FormatShape(_shape)}, {DType})";
    }

    private static float[] Filled(float value, int[] shape)
    {
        var a = new float[shape.Aggregate(1, (x, y) => x * y)];
        Array.Fill(a, value);
        return a;
    }
}
