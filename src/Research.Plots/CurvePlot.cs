using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace Research.Plots;

/// <summary>How a group of runs is summarised.</summary>
public enum Band
{
    /// <summary>Mean ± one (population) standard deviation.</summary>
    Std,
    /// <summary>Mean with the minimum–maximum range.</summary>
    MinMax,
}

/// <summary>Settings of a learning-curve plot (SB3's <c>results_plotter</c> and the zoo's plot scripts).</summary>
public sealed record CurvePlotOptions
{
    /// <summary>What the x axis counts.</summary>
    public XAxis X { get; init; } = XAxis.Timesteps;

    /// <summary>The y value's name (column, key or tag), or null for each format's episode return.</summary>
    public string? Metric { get; init; }

    /// <summary>Moving-average window over points (1: none).</summary>
    public int Smoothing { get; init; } = 1;

    /// <summary>A hyperparameter whose runs are drawn as one mean line with a band (seeds of one setting), or null.</summary>
    public string? GroupBy { get; init; }

    /// <summary>The band drawn around a group's mean.</summary>
    public Band Band { get; init; } = Band.Std;

    /// <summary>A hyperparameter that colours each run (a sweep's trials), or null.</summary>
    public string? ColorBy { get; init; }

    /// <summary>The title, or null for none.</summary>
    public string? Title { get; init; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; init; } = 800;

    /// <summary>Image height in pixels.</summary>
    public int Height { get; init; } = 500;
}

/// <summary>Where a saved plot's data area is, in pixels (what tests and callers check).</summary>
public sealed record PlotResult(string Path, int Width, int Height, float Left, float Top, float Right, float Bottom);

/// <summary>Learning curves of one or many runs as PNG or SVG.</summary>
public static class CurvePlot
{
    /// <summary>Draws <paramref name="runs"/> and saves the image to <paramref name="path"/> (<c>.png</c> or <c>.svg</c>).</summary>
    public static PlotResult Save(IReadOnlyList<Run> runs, CurvePlotOptions options, string path)
    {
        if (runs.Count == 0) throw new ArgumentException("No runs to plot.", nameof(runs));
        if (options.Smoothing < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Smoothing, "--smooth must be at least 1.");
        var plot = new Plot();
        var smoothed = runs.Select(r => r with { Curve = Smooth(r.Curve, options.Smoothing) }).ToList();
        if (options.GroupBy is { } groupBy) DrawGroups(plot, smoothed, groupBy, options.Band);
        else if (options.ColorBy is { } colorBy) DrawColored(plot, smoothed, colorBy);
        else
        {
            var palette = new ScottPlot.Palettes.Category10();
            for (int i = 0; i < smoothed.Count; i++) Line(plot, smoothed[i].Curve, palette.GetColor(i), smoothed[i].Name);
        }
        plot.XLabel(options.X switch { XAxis.Timesteps => "Timesteps", XAxis.Episodes => "Episodes", _ => "Time (s)" });
        plot.YLabel(options.Metric ?? "Episode return");
        if (options.Title is { } title) plot.Title(title);
        if (smoothed.Count <= 12 || options.GroupBy is not null || options.ColorBy is not null) plot.ShowLegend(Alignment.LowerRight);
        return SaveImage(plot, options.Width, options.Height, path);
    }

    internal static PlotResult SaveImage(Plot plot, int width, int height, string path)
    {
        Fonts.EnsureInstalled();
        string full = System.IO.Path.GetFullPath(path);
        switch (System.IO.Path.GetExtension(path).ToLowerInvariant())
        {
            case ".png": Research.Storage.AtomicFile.WriteAllBytes(full, plot.GetImage(width, height).GetImageBytes(ImageFormat.Png, 100)); break;
            case ".svg": Research.Storage.AtomicFile.WriteAllText(full, plot.GetSvgXml(width, height)); break;
            default: throw new ArgumentException($"{path}: the image format is chosen by the extension, .png or .svg.");
        }
        var area = plot.RenderManager.LastRender.DataRect;
        return new PlotResult(full, width, height, area.Left, area.Top, area.Right, area.Bottom);
    }

    /// <summary>SB3's <c>window_func</c>: the mean of each window of <paramref name="window"/> points, at the window's last x.</summary>
    public static Curve Smooth(Curve curve, int window)
    {
        if (window <= 1 || curve.Y.Length < window) return curve;
        int n = curve.Y.Length - window + 1;
        var xs = new double[n];
        var ys = new double[n];
        double sum = curve.Y.Take(window - 1).Sum();
        for (int i = 0; i < n; i++)
        {
            sum += curve.Y[i + window - 1];
            xs[i] = curve.X[i + window - 1];
            ys[i] = sum / window;
            sum -= curve.Y[i];
        }
        return new Curve(xs, ys);
    }

    private static void DrawGroups(Plot plot, List<Run> runs, string key, Band band)
    {
        var palette = new ScottPlot.Palettes.Category10();
        var groups = runs.GroupBy(r => Value(r, key)).OrderBy(g => g.Key, ValueComparer.Instance).ToList();
        for (int g = 0; g < groups.Count; g++)
        {
            var curves = groups[g].Select(r => r.Curve).Where(c => c.X.Length > 1).ToList();
            if (curves.Count == 0) continue;
            double start = curves.Max(c => c.X[0]), end = curves.Min(c => c.X[^1]);
            if (end <= start) throw new ArgumentException($"The runs with {key}={groups[g].Key} do not overlap on the x axis, so they cannot be averaged.");
            var xs = Enumerable.Range(0, 200).Select(i => start + (end - start) * i / 199).ToArray();
            var ys = curves.Select(c => xs.Select(x => Interpolate(c, x)).ToArray()).ToList();
            var mean = xs.Select((_, i) => ys.Average(y => y[i])).ToArray();
            var (low, high) = band == Band.Std
                ? (xs.Select((_, i) => mean[i] - Std(ys, i, mean[i])).ToArray(), xs.Select((_, i) => mean[i] + Std(ys, i, mean[i])).ToArray())
                : (xs.Select((_, i) => ys.Min(y => y[i])).ToArray(), xs.Select((_, i) => ys.Max(y => y[i])).ToArray());
            var color = palette.GetColor(g);
            var fill = plot.Add.FillY(xs, low, high);
            fill.FillColor = color.WithAlpha(0.25);
            fill.LineColor = Colors.Transparent;
            Line(plot, new Curve(xs, mean), color, $"{key}={groups[g].Key} ({curves.Count} run{(curves.Count == 1 ? "" : "s")})");
        }
    }

    private static void DrawColored(Plot plot, List<Run> runs, string key)
    {
        var values = runs.Select(r => Value(r, key)).ToList();
        var numbers = values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : double.NaN).ToList();
        bool numeric = numbers.All(double.IsFinite);
        var distinct = values.Distinct().OrderBy(v => v, ValueComparer.Instance).ToList();
        IColormap colormap = new ScottPlot.Colormaps.Viridis();
        var palette = new ScottPlot.Palettes.Category10();
        double min = numeric ? numbers.Min() : 0, max = numeric ? numbers.Max() : 1;
        bool log = numeric && min > 0 && max / min > 10;
        Color ColorOf(int i)
        {
            if (!numeric) return palette.GetColor(distinct.IndexOf(values[i]));
            if (max == min) return colormap.GetColor(0.5);
            double f = log ? Math.Log(numbers[i] / min) / Math.Log(max / min) : (numbers[i] - min) / (max - min);
            return colormap.GetColor(0.1 + 0.8 * f);
        }
        var labelled = new HashSet<string>();
        for (int i = 0; i < runs.Count; i++)
            Line(plot, runs[i].Curve, ColorOf(i), labelled.Add(values[i]) ? $"{key}={values[i]}" : null);
    }

    private static void Line(Plot plot, Curve curve, Color color, string? label)
    {
        var line = plot.Add.Scatter(curve.X, curve.Y, color);
        line.MarkerSize = 0;
        line.LineWidth = 2;
        if (label is not null) line.LegendText = label;
    }

    private static string Value(Run run, string key) =>
        run.Params.TryGetValue(key, out var value) ? value
        : throw new ArgumentException($"{run.Source}: run '{run.Name}' has no hyperparameter '{key}' (has: {(run.Params.Count == 0 ? "none; a sweep trial's params.json holds them" : string.Join(", ", run.Params.Keys))}).");

    private static double Interpolate(Curve c, double x)
    {
        int hi = Array.BinarySearch(c.X, x);
        if (hi >= 0) return c.Y[hi];
        hi = ~hi;
        if (hi == 0) return c.Y[0];
        if (hi >= c.X.Length) return c.Y[^1];
        double t = (x - c.X[hi - 1]) / (c.X[hi] - c.X[hi - 1]);
        return c.Y[hi - 1] + t * (c.Y[hi] - c.Y[hi - 1]);
    }

    private static double Std(List<double[]> ys, int i, double mean) => Math.Sqrt(ys.Average(y => (y[i] - mean) * (y[i] - mean)));

    /// <summary>Orders hyperparameter values numerically when both are numbers, else as text.</summary>
    private sealed class ValueComparer : IComparer<string>
    {
        public static ValueComparer Instance { get; } = new();

        public int Compare(string? a, string? b) =>
            double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out double y)
                ? x.CompareTo(y)
                : string.CompareOrdinal(a, b);
    }
}

/// <summary>Fonts for plot text: without any installed font, SkiaSharp draws no text at all and says nothing.</summary>
public static class Fonts
{
    /// <summary>Throws naming the fix when the machine has no font.</summary>
    public static void EnsureInstalled()
    {
        if (SKFontManager.Default.FontFamilyCount == 0)
            throw new InvalidOperationException("No font is installed, so every label of the plot would silently vanish; install one (Debian/Ubuntu: apt-get install fonts-dejavu-core).");
    }
}
