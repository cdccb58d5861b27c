using Research.Abstractions.Options;

namespace Research.Host.Training;

/// <summary>Reads <c>key=value</c> pairs (as <c>--config</c> gives them) into a config map; values stay strings for the options binder to convert.</summary>
public static class ConfigPairs
{
    /// <summary>Parses each pair; a later pair with the same key (any spelling) replaces an earlier one.</summary>
    public static Dictionary<string, object?> Parse(IEnumerable<string> pairs)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            int equals = pair.IndexOf('=');
            if (equals <= 0)
                throw new FormatException($"--config '{pair}' is not key=value (for example n_steps=64).");
            Overlay(map, pair[..equals].Trim(), pair[(equals + 1)..].Trim());
        }
        return map;
    }

    /// <summary>Copies <paramref name="overrides"/> over <paramref name="baseConfig"/>, replacing keys that are spelled differently but mean the same (<c>NSteps</c> over <c>n_steps</c>).</summary>
    public static Dictionary<string, object?> Merge(IReadOnlyDictionary<string, object?> baseConfig, IReadOnlyDictionary<string, object?> overrides)
    {
        var map = new Dictionary<string, object?>(baseConfig, StringComparer.Ordinal);
        foreach (var (key, value) in overrides) Overlay(map, key, value);
        return map;
    }

    private static void Overlay(Dictionary<string, object?> map, string key, object? value)
    {
        string normalized = OptionsBinder.KeyOf(key);
        foreach (var existing in map.Keys.Where(k => OptionsBinder.KeyOf(k) == normalized).ToList()) map.Remove(existing);
        map[key] = value;
    }
}
