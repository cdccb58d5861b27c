using ScottPlot;
using Research.Tensors.Io;

namespace Research.Plots;

/// <summary>The histogram of an expert dataset's episode returns (SB2's <c>ExpertDataset.plot()</c>).</summary>
public static class ExpertPlot
{
    /// <summary>Reads <c>episode_returns</c> from <paramref name="datasetPath"/> and saves the histogram to <paramref name="path"/>.</summary>
    public static PlotResult SaveReturnHistogram(string datasetPath, string path, int bins = 0, int width = 800, int height = 500)
    {
        var archive = NpzArchive.Read(datasetPath);
        if (!archive.Names.Contains("episode_returns"))
            throw new FormatException($"{datasetPath}: no 'episode_returns' (the archive has: {string.Join(", ", archive.Names)}).");
        var returns = archive["episode_returns"].AsFloat64();
        if (returns.Length == 0) throw new FormatException($"{datasetPath}: 'episode_returns' is empty.");
        if (bins <= 0) bins = Math.Clamp((int)Math.Ceiling(Math.Sqrt(returns.Length)), 5, 30);
        double min = returns.Min(), max = returns.Max();
        if (max == min) (min, max) = (min - 0.5, max + 0.5);
        double size = (max - min) / bins;
        var counts = new double[bins];
        foreach (double r in returns) counts[Math.Min((int)((r - min) / size), bins - 1)]++;
        var plot = new Plot();
        var bars = plot.Add.Bars(Enumerable.Range(0, bins).Select(i => min + size * (i + 0.5)).ToArray(), counts);
        foreach (var bar in bars.Bars) bar.Size = size * 0.95;
        double mean = returns.Average(), std = Math.Sqrt(returns.Average(r => (r - mean) * (r - mean)));
        plot.Title($"Expert episode returns: {returns.Length} episodes, {mean:0.##} ± {std:0.##}");
        plot.XLabel("Episode return");
        plot.YLabel("Episodes");
        plot.Axes.Margins(bottom: 0);
        return CurvePlot.SaveImage(plot, width, height, path);
    }
}
