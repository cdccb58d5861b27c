using System.Text.Encodings.Web;
using System.Text.Json;
using Research.Abstractions.Metrics;

namespace Research.Rl.Logging;

/// <summary>
/// Writes one JSON object per flush (<c>progress.json</c>, one line each), as Stable-Baselines' <c>JSONOutputFormat</c>:
/// tag → value in recorded order. Non-finite numbers are written as <c>null</c> so every line is strict JSON.
/// </summary>
public sealed class JsonLinesSink : IMetricsSink
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly List<(string Tag, double Value, string? Text)> _pending = [];
    private readonly Stream _stream;

    /// <summary>Creates (or truncates) the file at <paramref name="path"/>.</summary>
    public JsonLinesSink(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _stream = new FileStream(full, FileMode.Create, FileAccess.Write, FileShare.Read);
    }

    /// <inheritdoc />
    public void RecordScalar(string tag, double value, long step) => Set(tag, value, null);

    /// <inheritdoc />
    public void RecordText(string tag, string text, long step) => Set(tag, double.NaN, text);

    /// <inheritdoc />
    public void Flush()
    {
        if (_pending.Count == 0) return;
        using (var json = new Utf8JsonWriter(_stream, WriterOptions))
        {
            json.WriteStartObject();
            foreach (var (tag, value, text) in _pending)
            {
                if (text is not null) json.WriteString(tag, text);
                else if (!double.IsFinite(value)) json.WriteNull(tag);
                else if (MetricFormat.IsWhole(value)) json.WriteNumber(tag, (long)value);
                else json.WriteNumber(tag, value);
            }
            json.WriteEndObject();
        }
        _stream.WriteByte((byte)'\n');
        _stream.Flush();
        _pending.Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Flush();
        _stream.Dispose();
    }

    private void Set(string tag, double value, string? text)
    {
        int existing = _pending.FindIndex(p => p.Tag == tag);
        if (existing >= 0) _pending[existing] = (tag, value, text);
        else _pending.Add((tag, value, text));
    }
}
