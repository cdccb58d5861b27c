using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Research.Tune;

/// <summary>Appends a trial's result rows to <c>result.json</c> (JSON lines) and <c>progress.csv</c>.</summary>
/// <remarks>
/// Rows are never duplicated across restarts: before a trial continues, <see cref="Truncate"/> drops every row
/// written after the checkpoint it restored (and a torn last line), and the trial then recomputes those iterations. The CSV's columns are fixed by the first row; a later row with a new key rewrites the CSV from the JSON rows.
/// </remarks>
internal sealed class ResultLog : IDisposable
{
    private readonly string _trialDir;
    private readonly FileStream _json;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;
    private List<string> _columns;

    public ResultLog(string trialDir)
    {
        _trialDir = trialDir;
        _json = new FileStream(Path.Combine(trialDir, TrialFiles.Results), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _writer = new Utf8JsonWriter(_buffer);
        _columns = ReadCsvHeader(Path.Combine(trialDir, TrialFiles.Progress));
    }

    /// <summary>Appends one row to both files and flushes them.</summary>
    public void Append(IReadOnlyList<KeyValuePair<string, object?>> row)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        foreach (var (key, value) in row)
        {
            _writer.WritePropertyName(key);
            TuneJson.WritePlain(_writer, value);
        }
        _writer.WriteEndObject();
        _writer.Flush();
        _json.Write(_buffer.WrittenSpan);
        _json.WriteByte((byte)'\n');
        _json.Flush();

        if (_columns.Count == 0 || row.Any(kv => !_columns.Contains(kv.Key)))
            _columns = RegenerateCsv(_trialDir);
        else
            File.AppendAllText(Path.Combine(_trialDir, TrialFiles.Progress), CsvLine(_columns, row.ToDictionary(kv => kv.Key, kv => Csv(kv.Value))));
    }

    public void Dispose()
    {
        _writer.Dispose();
        _json.Dispose();
    }

    /// <summary>
    /// Keeps the rows written before <paramref name="restored"/> was taken (its row count; for a checkpoint without one, the rows up to its
    /// iteration; none without a checkpoint) and a torn last line never; rewrites both files atomically; returns how many rows remain.
    /// </summary>
    public static int Truncate(string trialDir, CheckpointInfo? restored)
    {
        string path = Path.Combine(trialDir, TrialFiles.Results);
        if (!File.Exists(path)) return 0;
        var complete = ResultLine.ReadLines(path).Where(line => ResultLine.Numbers(line) is not null).ToList();
        var kept = restored switch
        {
            null => [],
            { ResultRows: { } rows } => complete.Take(rows).ToList(),
            _ => complete.Where(line => ResultLine.Numbers(line)!.TryGetValue("training_iteration", out var i) && i <= restored.TrainingIteration).ToList(),
        };
        AtomicFile.WriteAllLines(path, kept);
        RegenerateCsv(trialDir);
        return kept.Count;
    }

    /// <summary>Adds <paramref name="values"/> to the last row (a scheduler's decision on it) and rewrites both files atomically.</summary>
    public static void AmendLast(string trialDir, IReadOnlyList<KeyValuePair<string, object?>> values)
    {
        string path = Path.Combine(trialDir, TrialFiles.Results);
        var lines = ResultLine.ReadLines(path).ToList();
        if (lines.Count == 0 || JsonNode.Parse(lines[^1]) is not JsonObject last) return;
        foreach (var (key, value) in values) last[key] = JsonSerializer.SerializeToNode(value);
        lines[^1] = last.ToJsonString();
        AtomicFile.WriteAllLines(path, lines);
        RegenerateCsv(trialDir);
    }

    /// <summary>Rewrites <c>progress.csv</c> from <c>result.json</c>; returns its columns.</summary>
    private static List<string> RegenerateCsv(string trialDir)
    {
        var columns = new List<string>();
        var rows = new List<Dictionary<string, string>>();
        string path = Path.Combine(trialDir, TrialFiles.Results);
        if (File.Exists(path))
        {
            foreach (var line in ResultLine.ReadLines(path))
            {
                using var document = JsonDocument.Parse(line);
                var row = new Dictionary<string, string>();
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (!columns.Contains(property.Name)) columns.Add(property.Name);
                    row[property.Name] = Csv(TuneJson.ToPlain(property.Value));
                }
                rows.Add(row);
            }
        }
        var text = new StringBuilder();
        if (columns.Count > 0) text.Append(string.Join(',', columns.Select(Quote))).Append('\n');
        foreach (var row in rows) text.Append(CsvLine(columns, row));
        AtomicFile.WriteAllText(Path.Combine(trialDir, TrialFiles.Progress), text.ToString());
        return columns;
    }

    private static List<string> ReadCsvHeader(string path)
    {
        if (!File.Exists(path)) return [];
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        return string.IsNullOrEmpty(header) ? [] : CsvFormat.SplitLine(header);
    }

    private static string CsvLine(List<string> columns, IReadOnlyDictionary<string, string> row) =>
        string.Join(',', columns.Select(c => row.TryGetValue(c, out var v) ? v : "")) + "\n";

    private static string Csv(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => Quote(s),
        _ => Quote(TuneJson.Short(value)),
    };

    private static string Quote(string s) => CsvFormat.Quote(s);
}
