using Research.Abstractions.Metrics;

namespace Research.Rl.Logging;

/// <summary>
/// Collects an iteration's metrics and sends them to every sink on <see cref="Dump"/>, as Stable-Baselines' <c>Logger</c>:
/// a tag recorded several times in one iteration is reported as the mean of its values (<c>record_mean</c>).
/// </summary>
/// <remarks>Tags keep their first-recorded order. After warm-up (all tags seen once) recording allocates nothing.</remarks>
public sealed class MetricsLogger
{
    private readonly IEnumerable<IMetricsSink> _sinks;
    private readonly List<string> _order = [];
    private readonly Dictionary<string, Accumulator> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);

    /// <summary>Creates a logger writing to <paramref name="sinks"/>, read at every dump (so sinks added later are used).</summary>
    public MetricsLogger(IEnumerable<IMetricsSink> sinks) => _sinks = sinks ?? throw new ArgumentNullException(nameof(sinks));

    /// <summary>Tags recorded since the last dump, in first-recorded order.</summary>
    public IReadOnlyList<string> PendingTags => _order;

    /// <summary>Records a value; repeated values of a tag within an iteration are averaged.</summary>
    public void Record(string tag, double value)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        if (_values.TryGetValue(tag, out var accumulator))
        {
            _values[tag] = new Accumulator(accumulator.Sum + value, accumulator.Count + 1);
            return;
        }
        if (!_texts.Remove(tag)) _order.Add(tag);
        _values[tag] = new Accumulator(value, 1);
    }

    /// <summary>Records a text value; the last one of an iteration wins.</summary>
    public void RecordText(string tag, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ArgumentNullException.ThrowIfNull(text);
        bool known = _values.Remove(tag) | _texts.ContainsKey(tag);
        if (!known) _order.Add(tag);
        _texts[tag] = text;
    }

    /// <summary>The value <see cref="Dump"/> would report for <paramref name="tag"/> (the mean so far), if recorded.</summary>
    public bool TryGetValue(string tag, out double value)
    {
        if (_values.TryGetValue(tag, out var accumulator))
        {
            value = accumulator.Sum / accumulator.Count;
            return true;
        }
        value = double.NaN;
        return false;
    }

    /// <summary>Sends every pending value to every sink at <paramref name="step"/>, flushes the sinks and starts a new iteration.</summary>
    public void Dump(long step)
    {
        foreach (var sink in _sinks)
        {
            foreach (var tag in _order)
            {
                if (_values.TryGetValue(tag, out var accumulator)) sink.RecordScalar(tag, accumulator.Sum / accumulator.Count, step);
                else sink.RecordText(tag, _texts[tag], step);
            }
            sink.Flush();
        }
        _order.Clear();
        _values.Clear();
        _texts.Clear();
    }

    private readonly record struct Accumulator(double Sum, int Count);
}
