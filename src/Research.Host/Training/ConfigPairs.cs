using System.Text.Json;
using Research.Abstractions.Options;
using Research.Rl.Algorithms;

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

    /// <summary>The options saved by <paramref name="algorithm"/> in a model file or checkpoint directory as a config map, without their budget (<c>total_timesteps</c>), for <c>--init-from</c>.</summary>
    public static Dictionary<string, object?> FromSavedModel(string path, string algorithm)
    {
        var data = ModelArchive.ReadData(path);
        string savedBy = data.TryGetProperty("algorithm", out var name) ? name.GetString() ?? "" : "";
        if (!string.Equals(savedBy, algorithm, StringComparison.OrdinalIgnoreCase))
            throw new ModelFormatException($"{path} was saved by {savedBy}, not {algorithm}.");
        var options = data.TryGetProperty("options", out var saved) && saved.ValueKind == JsonValueKind.Object
            ? saved
            : throw new ModelFormatException($"{path}: {ModelArchive.DataEntry} has no 'options'.");
        return options.EnumerateObject().Where(p => p.Name != "total_timesteps")
            .ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);
    }

    private static void Overlay(Dictionary<string, object?> map, string key, object? value)
    {
        string normalized = OptionsBinder.KeyOf(key);
        foreach (var existing in map.Keys.Where(k => OptionsBinder.KeyOf(k) == normalized).ToList()) map.Remove(existing);
        map[key] = value;
    }
}
