using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Research.Plugins.Gymnasium;

/// <summary>Turns config values (YAML-typed, JSON elements, or command-line strings) into the JSON kwargs a worker passes to Python.</summary>
internal static class PythonKwargs
{
    /// <summary>The kwargs as a JSON object; strings that read as YAML scalars (<c>1</c>, <c>0.5</c>, <c>true</c>, <c>null</c>) become those values, as the command line cannot type them.</summary>
    public static JsonObject ToJson(IReadOnlyDictionary<string, object?> kwargs)
    {
        var json = new JsonObject();
        foreach (var (key, value) in kwargs) json[key] = Node(value, key);
        return json;
    }

    private static JsonNode? Node(object? value, string key) => value switch
    {
        null => null,
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        JsonNode node => node.DeepClone(),
        string text => Scalar(text),
        bool b => JsonValue.Create(b),
        int or long or short or byte => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        float or double or decimal => JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        IReadOnlyDictionary<string, object?> map => ToJson(map),
        IDictionary map => ToJson(map.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => map[k])),
        IEnumerable list => new JsonArray([.. list.Cast<object?>().Select(v => Node(v, key))]),
        _ => throw new ArgumentException($"env_kwargs '{key}': {value} ({value.GetType().Name}) cannot be passed to Python; use numbers, strings, booleans, lists or maps."),
    };

    private static JsonNode? Scalar(string text) => text switch
    {
        "null" or "None" or "~" => null,
        "true" or "True" => JsonValue.Create(true),
        "false" or "False" => JsonValue.Create(false),
        _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) => JsonValue.Create(n),
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) => JsonValue.Create(d),
        _ => JsonValue.Create(text),
    };
}
