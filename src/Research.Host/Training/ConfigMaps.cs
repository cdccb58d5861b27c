using System.Collections;
using System.Text.Json;

namespace Research.Host.Training;

/// <summary>Reads config values that hold maps, whichever shape they came in (a dictionary from YAML or code, a JSON object from a sweep spec).</summary>
internal static class ConfigMaps
{
    /// <summary>The value as a string-keyed map, or null when it is not one.</summary>
    public static IReadOnlyDictionary<string, object?>? AsMap(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> map => map,
        JsonElement { ValueKind: JsonValueKind.Object } json => json.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone()),
        IDictionary dictionary => dictionary.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => dictionary[k]),
        _ => null,
    };

    /// <summary>Key spelling that ignores case and separators, so <c>n_envs</c>, <c>NEnvs</c> and <c>n-envs</c> are one key.</summary>
    public static string Normalize(string key) => key.Replace("_", "").Replace("-", "").ToLowerInvariant();
}
