using System.Globalization;
using System.Text.Json;

namespace Research.Rl.Wrappers.Monitoring;

/// <summary>One episode read from a monitor file: return, length and seconds since the earliest monitor started.</summary>
public readonly record struct MonitorRow(double Return, int Length, double Time);

/// <summary>Reads <c>monitor.csv</c> files (Stable-Baselines' <c>load_results</c>).</summary>
public static class MonitorResults
{
    /// <summary>The monitor files directly in <paramref name="directory"/> (names ending with <c>monitor.csv</c>), sorted.</summary>
    public static IReadOnlyList<string> MonitorFiles(string directory) =>
        [.. Directory.GetFiles(directory, "*" + Monitor.Extension).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Reads one monitor file, or every monitor file of a directory, and returns their episodes sorted by time,
    /// the time counted from the earliest <c>t_start</c> among the files.
    /// </summary>
    public static IReadOnlyList<MonitorRow> Load(string path)
    {
        IReadOnlyList<string> files;
        if (Directory.Exists(path))
        {
            files = MonitorFiles(path);
            if (files.Count == 0) throw new FileNotFoundException($"MonitorResults: no monitor files of the form *{Monitor.Extension} in '{path}'.");
        }
        else if (File.Exists(path)) files = [path];
        else throw new FileNotFoundException($"MonitorResults: '{path}' is neither a monitor file nor a directory.", path);

        var rows = new List<(double AbsoluteTime, MonitorRow Row)>();
        double earliest = double.PositiveInfinity;
        foreach (var file in files)
        {
            double start = ReadFile(file, rows);
            earliest = Math.Min(earliest, start);
        }
        return [.. rows.OrderBy(r => r.AbsoluteTime).Select(r => r.Row with { Time = r.AbsoluteTime - earliest })];
    }

    private static double ReadFile(string file, List<(double, MonitorRow)> rows)
    {
        using var reader = new StreamReader(file);
        string first = reader.ReadLine() ?? throw Malformed(file, 1, "the file is empty");
        double start = ParseHeader(file, first);
        string header = reader.ReadLine() ?? throw Malformed(file, 2, "the CSV header r,l,t is missing");
        var columns = header.Split(',');
        int r = Column(file, columns, "r"), l = Column(file, columns, "l"), t = Column(file, columns, "t");
        int lineNumber = 2;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            if (cells.Length != columns.Length)
                throw Malformed(file, lineNumber, $"expected {columns.Length} values ({header}), got {cells.Length}: '{line}'");
            double episodeReturn = Number(file, lineNumber, "r", cells[r]);
            double length = Number(file, lineNumber, "l", cells[l]);
            if (length != Math.Floor(length) || length < 0 || length > int.MaxValue)
                throw Malformed(file, lineNumber, $"l = '{cells[l]}' is not a non-negative integer");
            double time = Number(file, lineNumber, "t", cells[t]);
            rows.Add((start + time, new MonitorRow(episodeReturn, (int)length, time)));
        }
        return start;
    }

    private static double ParseHeader(string file, string line)
    {
        if (!line.StartsWith('#')) throw Malformed(file, 1, $"expected '#' and a JSON header with t_start, got '{line}'");
        try
        {
            using var json = JsonDocument.Parse(line[1..]);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("t_start", out var start)
                && start.ValueKind == JsonValueKind.Number)
                return start.GetDouble();
        }
        catch (JsonException)
        {
            // Reported below with the file and line.
        }
        throw Malformed(file, 1, $"expected a JSON object with a numeric t_start after '#', got '{line}'");
    }

    private static int Column(string file, string[] columns, string name)
    {
        int index = Array.IndexOf(columns, name);
        return index >= 0 ? index : throw Malformed(file, 2, $"the CSV header has no column '{name}' (columns: {string.Join(",", columns)})");
    }

    private static double Number(string file, int line, string column, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw Malformed(file, line, $"{column} = '{text}' is not a number");

    private static InvalidDataException Malformed(string file, int line, string reason) =>
        new($"MonitorResults: '{file}' line {line}: {reason}.");
}
