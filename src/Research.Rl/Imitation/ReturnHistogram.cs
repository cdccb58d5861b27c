using System.Globalization;
using System.Text;

namespace Research.Rl.Imitation;

/// <summary>A text histogram of episode returns for the terminal: one line per bin, with a bar of '#' and the count.</summary>
public static class ReturnHistogram
{
    /// <summary>Formats <paramref name="returns"/> into <paramref name="bins"/> equal-width bins between their minimum and maximum.</summary>
    public static string Format(IReadOnlyList<double> returns, int bins = 10, int width = 40)
    {
        ArgumentNullException.ThrowIfNull(returns);
        if (bins <= 0) throw new ArgumentOutOfRangeException(nameof(bins), bins, "ReturnHistogram: bins must be positive.");
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "ReturnHistogram: width must be positive.");
        if (returns.Count == 0) return "(no episodes)\n";

        double min = returns.Min(), max = returns.Max();
        // All returns equal (CartPole's 500 every time): one bin holding them all.
        if (min == max) bins = 1;
        var counts = new int[bins];
        double binWidth = (max - min) / bins;
        foreach (double r in returns)
            counts[binWidth == 0 ? 0 : Math.Min((int)((r - min) / binWidth), bins - 1)]++;

        int largest = counts.Max();
        var text = new StringBuilder();
        for (int b = 0; b < bins; b++)
        {
            double low = min + b * binWidth, high = b == bins - 1 ? max : min + (b + 1) * binWidth;
            int bar = (int)Math.Round((double)counts[b] / largest * width);
            text.Append(CultureInfo.InvariantCulture, $"{low,10:G6} .. {high,-10:G6} |{new string('#', bar).PadRight(width)}| {counts[b]}\n");
        }
        return text.ToString();
    }
}
