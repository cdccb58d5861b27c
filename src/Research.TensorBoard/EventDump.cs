using System.Buffers.Binary;
using System.Globalization;
using Research.TensorBoard.Proto;

namespace Research.TensorBoard;

/// <summary>The latest value of one tag in a run.</summary>
public sealed record TagSummary(string Tag, string Kind, long Step, double WallTime, string Value, int Count);

/// <summary>One point of a scalar series.</summary>
public readonly record struct ScalarPoint(long Step, double WallTime, double Value);

/// <summary>Summarises a run's events for <c>research tb dump</c>: every tag with its latest value, or one scalar tag's series.</summary>
public static class EventDump
{
    /// <summary>Every tag in order of first appearance, with its latest value and how many values it has.</summary>
    public static IReadOnlyList<TagSummary> Tags(IEnumerable<Event> events)
    {
        var latest = new Dictionary<string, TagSummary>();
        var order = new List<string>();
        foreach (var e in events)
        {
            if (e.Summary is null) continue;
            foreach (var value in e.Summary.Value)
            {
                var (kind, text) = Describe(value);
                int count = 1;
                if (latest.TryGetValue(value.Tag, out var previous)) count = previous.Count + 1;
                else order.Add(value.Tag);
                latest[value.Tag] = new TagSummary(value.Tag, kind, e.Step, e.WallTime, text, count);
            }
        }
        return [.. order.Select(tag => latest[tag])];
    }

    /// <summary>The points of scalar tag <paramref name="tag"/>; throws if it is missing or not a scalar.</summary>
    public static IReadOnlyList<ScalarPoint> Series(IEnumerable<Event> events, string tag)
    {
        var points = new List<ScalarPoint>();
        bool seen = false;
        foreach (var e in events)
        {
            if (e.Summary is null) continue;
            foreach (var value in e.Summary.Value)
            {
                if (value.Tag != tag) continue;
                seen = true;
                if (ScalarOf(value) is not { } scalar)
                    throw new InvalidOperationException($"tag '{tag}' is a {Describe(value).Kind}, not a scalar");
                points.Add(new ScalarPoint(e.Step, e.WallTime, scalar));
            }
        }
        return seen ? points : throw new KeyNotFoundException($"no tag '{tag}'");
    }

    /// <summary>Writes the tag table: tag, kind, count, latest step and value, tab-separated.</summary>
    public static void WriteTags(TextWriter output, IReadOnlyList<TagSummary> tags)
    {
        output.WriteLine("tag\tkind\tcount\tstep\tvalue");
        foreach (var t in tags) output.WriteLine($"{t.Tag}\t{t.Kind}\t{t.Count}\t{t.Step}\t{t.Value}");
    }

    /// <summary>Writes a series as CSV with the header <c>step,wall_time,value</c>.</summary>
    public static void WriteCsv(TextWriter output, IEnumerable<ScalarPoint> points)
    {
        output.WriteLine("step,wall_time,value");
        foreach (var p in points)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Step},{p.WallTime:R},{p.Value:R}"));
    }

    /// <summary>A scalar in either form TensorBoard accepts: <c>simple_value</c> or a one-element float tensor.</summary>
    private static double? ScalarOf(Summary.Types.Value value)
    {
        if (value.ValueCase == Summary.Types.Value.ValueOneofCase.SimpleValue) return value.SimpleValue;
        if (value.ValueCase != Summary.Types.Value.ValueOneofCase.Tensor || value.Metadata?.PluginData?.PluginName == HParams.PluginName) return null;
        var t = value.Tensor;
        return t.Dtype switch
        {
            DataType.DtFloat when t.FloatVal.Count == 1 => t.FloatVal[0],
            DataType.DtFloat when t.TensorContent.Length == 4 => BinaryPrimitives.ReadSingleLittleEndian(t.TensorContent.Span),
            DataType.DtDouble when t.DoubleVal.Count == 1 => t.DoubleVal[0],
            DataType.DtDouble when t.TensorContent.Length == 8 => BinaryPrimitives.ReadDoubleLittleEndian(t.TensorContent.Span),
            _ => null,
        };
    }

    private static (string Kind, string Text) Describe(Summary.Types.Value value)
    {
        if (ScalarOf(value) is { } scalar) return ("scalar", scalar.ToString("R", CultureInfo.InvariantCulture));
        string? plugin = value.Metadata?.PluginData?.PluginName;
        return value.ValueCase switch
        {
            Summary.Types.Value.ValueOneofCase.Histo => ("histogram", string.Create(CultureInfo.InvariantCulture,
                $"num={value.Histo.Num} min={value.Histo.Min:R} max={value.Histo.Max:R} mean={(value.Histo.Num > 0 ? value.Histo.Sum / value.Histo.Num : 0):R}")),
            Summary.Types.Value.ValueOneofCase.Image => ("image", $"{value.Image.Width}x{value.Image.Height} ({value.Image.EncodedImageString.Length} bytes)"),
            Summary.Types.Value.ValueOneofCase.Tensor when plugin == Summaries.TextPluginName && value.Tensor.StringVal.Count > 0 =>
                ("text", OneLine(value.Tensor.StringVal[0].ToStringUtf8())),
            Summary.Types.Value.ValueOneofCase.Tensor when plugin == HParams.PluginName => ("hparams", value.Tag),
            Summary.Types.Value.ValueOneofCase.Tensor => ("tensor", value.Tensor.Dtype.ToString()),
            _ => (value.ValueCase.ToString(), ""),
        };
    }

    private static string OneLine(string text)
    {
        string flat = text.ReplaceLineEndings(" ");
        return flat.Length <= 80 ? flat : flat[..77] + "...";
    }
}
