using System.Text;
using Research.Abstractions.Metrics;
using Research.Storage;

namespace Research.Rl.Logging;

/// <summary>
/// Writes one row per flush to a CSV file (<c>progress.csv</c>), as Stable-Baselines' <c>CSVOutputFormat</c>: when a flush
/// brings new tags, they are appended to the header (sorted) and every earlier row is padded with empty cells.
/// </summary>
public sealed class CsvSink : IMetricsSink
{
    private readonly string _path;
    private readonly List<string> _columns = [];
    private readonly Dictionary<string, string> _pending = new(StringComparer.Ordinal);
    private StreamWriter _writer;

    /// <summary>Creates (or truncates) the file at <paramref name="path"/>.</summary>
    public CsvSink(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _writer = OpenForAppend(FileMode.Create);
    }

    /// <summary>The columns written so far, in header order.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <inheritdoc />
    public void RecordScalar(string tag, double value, long step) => _pending[tag] = MetricFormat.ForFile(value);

    /// <inheritdoc />
    public void RecordText(string tag, string text, long step) => _pending[tag] = "\"" + text.Replace("\"", "\"\"") + "\"";

    /// <inheritdoc />
    public void Flush()
    {
        if (_pending.Count == 0) return;
        var newColumns = _pending.Keys.Where(k => !_columns.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (newColumns.Count > 0)
        {
            _columns.AddRange(newColumns);
            RewriteWithHeader(newColumns.Count);
        }
        var row = new StringBuilder();
        for (int i = 0; i < _columns.Count; i++)
        {
            if (i > 0) row.Append(',');
            if (_pending.TryGetValue(_columns[i], out var cell)) row.Append(cell);
        }
        row.Append('\n');
        _writer.Write(row.ToString());
        _writer.Flush();
        _pending.Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Flush();
        _writer.Dispose();
    }

    private void RewriteWithHeader(int addedColumns)
    {
        _writer.Dispose();
        var oldRows = File.ReadAllLines(_path).Skip(1);
        var padding = new string(',', addedColumns);
        AtomicFile.WriteAllLines(_path, oldRows.Select(line => line + padding).Prepend(string.Join(',', _columns)));
        _writer = OpenForAppend(FileMode.Append);
    }

    private StreamWriter OpenForAppend(FileMode mode) =>
        new(new FileStream(_path, mode, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
}
