using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Research.Plugins.MuJoCo;

/// <summary>Gymnasium's per-step <c>info</c> of a MuJoCo environment: fixed keys with double values, rewritten in place each step.</summary>
/// <remarks>Values are boxed only when read, so a step allocates nothing; <see cref="Value"/> reads one without boxing.</remarks>
public sealed class StepInfo : IReadOnlyDictionary<string, object>
{
    private readonly string[] _keys;
    private readonly double[] _values;

    /// <summary>Creates the info with its keys in Gymnasium's order, all values zero.</summary>
    public StepInfo(params string[] keys)
    {
        _keys = keys;
        _values = new double[keys.Length];
    }

    /// <summary>The value of <paramref name="key"/> as a double.</summary>
    public double Value(string key) => _values[IndexOf(key) is var i and >= 0 ? i : throw new KeyNotFoundException($"info has no key '{key}'; keys: {string.Join(", ", _keys)}.")];

    /// <summary>Sets the value at <paramref name="index"/> (the key's position in the constructor).</summary>
    internal void Set(int index, double value) => _values[index] = value;

    public object this[string key] => Value(key);
    public IEnumerable<string> Keys => _keys;
    public IEnumerable<object> Values => _values.Select(v => (object)v);
    public int Count => _keys.Length;
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value)
    {
        int i = IndexOf(key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        for (int i = 0; i < _keys.Length; i++) yield return new(_keys[i], _values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key) => Array.IndexOf(_keys, key);
}
