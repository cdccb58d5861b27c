using System.Text;
using Research.Abstractions.Metrics;

namespace Research.Rl.Logging;

/// <summary>
/// Prints each flush as Stable-Baselines' verbose table (<c>HumanOutputFormat</c>): tags sorted, grouped under their
/// <c>prefix/</c> line with the rest indented, names and values cut at 23 characters, columns aligned, <c>-</c> borders.
/// </summary>
public sealed class StdoutSink : IMetricsSink
{
    private const int MaxLength = 23;
    private readonly TextWriter _writer;
    private readonly SortedDictionary<string, string> _pending = new(StringComparer.Ordinal);

    /// <summary>Prints to <paramref name="writer"/>, or to standard output when none is given.</summary>
    public StdoutSink(TextWriter? writer = null) => _writer = writer ?? Console.Out;

    /// <inheritdoc />
    public void RecordScalar(string tag, double value, long step) => _pending[tag] = MetricFormat.ForTable(value);

    /// <inheritdoc />
    public void RecordText(string tag, string text, long step) => _pending[tag] = text;

    /// <inheritdoc />
    public void Flush()
    {
        if (_pending.Count == 0) return;
        _writer.Write(FormatTable(_pending));
        _writer.Flush();
        _pending.Clear();
    }

    /// <summary>Builds the table text (ending in a newline) for tag → value strings in sorted order.</summary>
    internal static string FormatTable(IEnumerable<KeyValuePair<string, string>> sortedValues)
    {
        var rows = new List<(string Key, string Value)>();
        var seen = new HashSet<(string, string)>();
        string group = "";
        foreach (var (tag, value) in sortedValues)
        {
            int slash = tag.IndexOf('/');
            if (slash > 0)
            {
                group = tag[..(slash + 1)];
                if (seen.Add((group, Truncate(group)))) rows.Add((Truncate(group), ""));
            }
            // As SB3: the name loses the current group's prefix and is indented by three spaces.
            string key = group.Length > 0 && tag.Contains(group, StringComparison.Ordinal) ? "   " + tag[group.Length..] : tag;
            string truncated = Truncate(key);
            if (!seen.Add((group, truncated)))
                throw new InvalidOperationException($"StdoutSink: '{tag}' and another tag both print as '{truncated}' once cut to {MaxLength} characters; shorten one.");
            rows.Add((truncated, Truncate(value)));
        }

        int keyWidth = rows.Max(r => r.Key.Length);
        int valueWidth = rows.Max(r => r.Value.Length);
        string dashes = new('-', keyWidth + valueWidth + 7);
        var text = new StringBuilder();
        text.Append(dashes).Append('\n');
        foreach (var (key, value) in rows)
            text.Append("| ").Append(key.PadRight(keyWidth)).Append(" | ").Append(value.PadRight(valueWidth)).Append(" |\n");
        text.Append(dashes).Append('\n');
        return text.ToString();
    }

    private static string Truncate(string text) => text.Length > MaxLength ? text[..(MaxLength - 3)] + "..." : text;

    /// <summary>Flushes what is pending; the writer stays open (it is usually the console).</summary>
    public void Dispose() => Flush();
}
