using System.Globalization;
using System.Text;

namespace Research.Tune;

/// <summary>Small numerics the schedulers share: NumPy's linear percentile and median, and seeds derived per decision.</summary>
public static class SchedulerMath
{
    /// <summary>The <paramref name="q"/>-th percentile (0–100) of the values that are not NaN, interpolated linearly between
    /// order statistics as NumPy's <c>nanpercentile</c> does by default; null when there are none.</summary>
    public static double? NanPercentile(IEnumerable<double> values, double q)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        if (sorted.Count == 0) return null;
        double rank = q / 100 * (sorted.Count - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, sorted.Count - 1);
        double fraction = rank - below;
        return sorted[below] + (sorted[above] - sorted[below]) * fraction;
    }

    /// <summary>NumPy's median: the middle value, or the mean of the two middle values.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>A generator for one random decision, seeded by the experiment's seed, what it is for and a counter the caller
    /// keeps in its saved state, so a resumed driver draws exactly what an uninterrupted one would.</summary>
    public static Random Generator(int seed, string purpose, long counter)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{seed}\0{purpose}\0{counter}")))
            hash = (hash ^ b) * 16777619;
        return new Random(unchecked((int)hash));
    }

    /// <summary>A number for reasons and logs (six significant digits).</summary>
    public static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
