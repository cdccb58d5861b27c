using System.Globalization;
using System.Text.Json;
using Research.Rl.Wrappers.Monitoring;
using Research.TensorBoard;

namespace Research.Plots;

/// <summary>What the x axis counts.</summary>
public enum XAxis
{
    /// <summary>Environment steps (SB3's <c>X_TIMESTEPS</c>).</summary>
    Timesteps,
    /// <summary>Finished episodes (<c>X_EPISODES</c>).</summary>
    Episodes,
    /// <summary>Seconds since the run started (<c>X_WALLTIME</c>).</summary>
    WallTime,
}

/// <summary>One learning curve: x and y values, x ascending.</summary>
public sealed record Curve(double[] X, double[] Y);

/// <summary>One run's curve with where it came from and its hyperparameters (a sweep trial's <c>params.json</c>, flattened with dots).</summary>
public sealed record Run(string Name, string Source, IReadOnlyDictionary<string, string> Params, Curve Curve);

/// <summary>
/// Finds runs under files or folders and reads one curve from each: Stable-Baselines' <c>monitor.csv</c> (episode returns),
/// <c>progress.csv</c>, a Tune trial's <c>result.json</c>, or TensorBoard event files. A folder holding none of them is searched one
/// level down (a sweep, or a folder of runs).
/// </summary>
public static class RunReader
{
    /// <summary>The runs under <paramref name="paths"/>; <paramref name="metric"/> picks the y values (null: the episode return of each format).</summary>
    public static IReadOnlyList<Run> Read(IEnumerable<string> paths, XAxis x, string? metric = null)
    {
        var runs = new List<Run>();
        foreach (string path in paths)
        {
            if (File.Exists(path)) runs.Add(ReadFile(path, Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? path, x, metric));
            else if (Directory.Exists(path))
            {
                // A sweep's root holds an event file of its own (the HParams experiment): runs in sub-folders win over it.
                if (ReadDirectory(path, x, metric, events: false) is { } run) runs.Add(run);
                else
                {
                    var children = Directory.GetDirectories(path).Order(StringComparer.Ordinal).Select(d => ReadDirectory(d, x, metric, events: true)).OfType<Run>().ToList();
                    if (children.Count == 0 && ReadDirectory(path, x, metric, events: true) is { } eventsRun) children.Add(eventsRun);
                    if (children.Count == 0)
                        throw new FileNotFoundException($"{path}: no monitor.csv, progress.csv, result.json or TensorBoard event file here or one folder down.");
                    runs.AddRange(children);
                }
            }
            else throw new FileNotFoundException($"{path}: no such file or folder.");
        }
        return runs;
    }

    private static Run? ReadDirectory(string directory, XAxis x, string? metric, bool events)
    {
        string name = Path.GetFileName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar));
        foreach (string file in (string[])["result.json", "progress.csv"])
            if (File.Exists(Path.Combine(directory, file))) return ReadFile(Path.Combine(directory, file), name, x, metric);
        if (MonitorResults.MonitorFiles(directory).Count > 0) return ReadFile(directory, name, x, metric, monitor: true);
        if (events && EventFileReader.EventFiles(directory).Count > 0) return ReadFile(directory, name, x, metric, events: true);
        return null;
    }

    private static Run ReadFile(string path, string name, XAxis x, string? metric, bool monitor = false, bool events = false)
    {
        string file = Path.GetFileName(path);
        string directory = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        Curve curve = monitor || file.EndsWith("monitor.csv", StringComparison.Ordinal) ? Monitor(path, x)
            : events || EventFileReader.IsEventFile(file) ? Events(path, x, metric ?? "rollout/ep_rew_mean")
            : file.EndsWith(".json", StringComparison.Ordinal) ? ResultJson(path, x, metric ?? "episode_reward_mean")
            : file.EndsWith(".csv", StringComparison.Ordinal) ? ProgressCsv(path, x, metric ?? "rollout/ep_rew_mean")
            : throw new FormatException($"{path}: not a monitor.csv, progress.csv, result.json or TensorBoard event file.");
        return new Run(name, path, Params(directory), curve);
    }

    private static Curve Monitor(string path, XAxis x)
    {
        var rows = MonitorResults.Load(path);
        double steps = 0;
        var xs = new double[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            steps += rows[i].Length;
            xs[i] = x switch { XAxis.Timesteps => steps, XAxis.Episodes => i + 1, _ => rows[i].Time };
        }
        return new Curve(xs, [.. rows.Select(r => r.Return)]);
    }

    private static Curve ProgressCsv(string path, XAxis x, string metric)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0) throw new FormatException($"{path}: empty.");
        var header = lines[0].Split(',');
        int Column(params string[] names) => names.Select(n => Array.IndexOf(header, n)).FirstOrDefault(i => i >= 0, -1);
        int xColumn = x switch
        {
            XAxis.Timesteps => Column("time/total_timesteps", "timesteps_total"),
            XAxis.Episodes => Column("time/episodes", "episodes_total"),
            _ => Column("time/time_elapsed", "time_total_s"),
        };
        int yColumn = Column(metric);
        if (yColumn < 0) throw new FormatException($"{path}: no column '{metric}' (columns: {string.Join(", ", header)}).");
        if (xColumn < 0) throw new FormatException($"{path}: no column for x = {x} (columns: {string.Join(", ", header)}).");
        var points = lines.Skip(1).Select(l => l.Split(',')).Where(c => c.Length > Math.Max(xColumn, yColumn))
            .Select(c => (X: Number(c[xColumn]), Y: Number(c[yColumn]))).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        return new Curve([.. points.Select(p => p.X)], [.. points.Select(p => p.Y)]);
    }

    private static Curve ResultJson(string path, XAxis x, string metric)
    {
        string xKey = x switch { XAxis.Timesteps => "timesteps_total", XAxis.Episodes => "episodes_total", _ => "time_total_s" };
        var xs = new List<double>();
        var ys = new List<double>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement row;
            try
            {
                row = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException e)
            {
                throw new FormatException($"{path}: line {lineNumber} is not JSON: {e.Message}", e);
            }
            if (row.TryGetProperty(xKey, out var xv) && row.TryGetProperty(metric, out var yv)
                && xv.ValueKind == JsonValueKind.Number && yv.ValueKind == JsonValueKind.Number && double.IsFinite(yv.GetDouble()))
            {
                xs.Add(xv.GetDouble());
                ys.Add(yv.GetDouble());
            }
        }
        return new Curve([.. xs], [.. ys]);
    }

    private static Curve Events(string path, XAxis x, string tag)
    {
        if (x == XAxis.Episodes) throw new FormatException($"{path}: TensorBoard scalars are indexed by step, not by episode; use --x timesteps or walltime.");
        var points = EventDump.Series(EventFileReader.Read(path), tag);
        if (points.Count == 0) throw new FormatException($"{path}: no scalar '{tag}'.");
        double start = points.Min(p => p.WallTime);
        var ordered = points.OrderBy(p => p.Step).ToList();
        return new Curve([.. ordered.Select(p => x == XAxis.Timesteps ? p.Step : p.WallTime - start)], [.. ordered.Select(p => p.Value)]);
    }

    private static Dictionary<string, string> Params(string directory)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string file = Path.Combine(directory, "params.json");
        if (!File.Exists(file)) return result;
        void Flatten(JsonElement element, string prefix)
        {
            if (element.ValueKind == JsonValueKind.Object)
                foreach (var p in element.EnumerateObject()) Flatten(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}");
            else result[prefix] = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
        }
        Flatten(JsonDocument.Parse(File.ReadAllText(file)).RootElement, "");
        return result;
    }

    private static double Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : double.NaN;
}
