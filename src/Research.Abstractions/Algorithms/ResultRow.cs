using System.Collections;

namespace Research.Abstractions.Algorithms;

/// <summary>One result row of a training iteration: RLlib's flat result dict, name → number, in insertion order.</summary>
public sealed class ResultRow : IReadOnlyDictionary<string, double>
{
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    /// <summary>Gets or sets a value; setting a new key appends it.</summary>
    public double this[string key]
    {
        get => _values.TryGetValue(key, out var v) ? v
            : throw new KeyNotFoundException($"The result row has no '{key}'; keys: {string.Join(", ", _keys)}.");
        set
        {
            if (!_values.ContainsKey(key)) _keys.Add(key);
            _values[key] = value;
        }
    }

    public IEnumerable<string> Keys => _keys;
    public IEnumerable<double> Values => _keys.Select(k => _values[k]);
    public int Count => _keys.Count;
    public bool ContainsKey(string key) => _values.ContainsKey(key);
    public bool TryGetValue(string key, out double value) => _values.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() =>
        _keys.Select(k => new KeyValuePair<string, double>(k, _values[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
