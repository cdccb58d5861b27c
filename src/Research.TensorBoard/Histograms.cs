using Research.TensorBoard.Proto;

namespace Research.TensorBoard;

/// <summary>Builds a <see cref="HistogramProto"/> with TensorFlow's default buckets and its encoding of them.</summary>
public static class Histograms
{
    /// <summary>
    /// TensorFlow's default bucket upper edges: ±1e-12 growing by 10% to ±1e20, ±double.MaxValue at the ends, and 0.
    /// </summary>
    public static IReadOnlyList<double> DefaultBucketLimits { get; } = BuildDefaultLimits();

    private static readonly double[] Limits = [.. DefaultBucketLimits];

    /// <summary>
    /// Counts <paramref name="values"/> into the default buckets (a value v goes to the first bucket whose limit exceeds v)
    /// and encodes them as TensorFlow does: runs of empty buckets collapse into one entry at the run's last limit.
    /// </summary>
    public static HistogramProto Build(ReadOnlySpan<float> values)
    {
        var counts = new double[Limits.Length];
        double min = double.MaxValue, max = -double.MaxValue, sum = 0, sumSquares = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v)) throw new ArgumentException($"Histogram: value {i} is {v}; histograms take finite values only.", nameof(values));
            counts[UpperBound(v)] += 1;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            sum += v;
            sumSquares += v * v;
        }

        var proto = new HistogramProto { Min = min, Max = max, Num = values.Length, Sum = sum, SumSquares = sumSquares };
        for (int i = 0; i < counts.Length;)
        {
            double end = Limits[i], count = counts[i];
            i++;
            if (count <= 0)
            {
                while (i < counts.Length && counts[i] <= 0)
                {
                    end = Limits[i];
                    i++;
                }
            }
            proto.BucketLimit.Add(end);
            proto.Bucket.Add(count);
        }
        return proto;
    }

    /// <summary>The index of the first limit greater than <paramref name="value"/>.</summary>
    private static int UpperBound(double value)
    {
        int index = Array.BinarySearch(Limits, value);
        return index >= 0 ? index + 1 : ~index;
    }

    private static double[] BuildDefaultLimits()
    {
        var positive = new List<double>();
        for (double v = 1e-12; v < 1e20; v *= 1.1) positive.Add(v);
        positive.Add(double.MaxValue);
        var limits = new List<double>(2 * positive.Count + 1);
        for (int i = positive.Count - 1; i >= 0; i--) limits.Add(-positive[i]);
        limits.Add(0.0);
        limits.AddRange(positive);
        return [.. limits];
    }
}
