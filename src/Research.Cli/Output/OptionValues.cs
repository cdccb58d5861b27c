using System.Collections;
using System.Globalization;
using System.Text.Json;
using Research.Abstractions.Options;
using Research.Host.Catalog;

namespace Research.Cli.Output;

/// <summary>An entry's option defaults as plain values (numbers, strings, lists, maps), written as the binder reads them back.</summary>
internal static class OptionValues
{
    /// <summary>The defaults of <paramref name="entry"/> by snake_case name; empty when it takes no options.</summary>
    public static IReadOnlyDictionary<string, object?> Defaults(PluginEntry entry) =>
        entry.OptionsType is null
            ? new Dictionary<string, object?>()
            : OptionsBinder.ToConfig(Activator.CreateInstance(entry.OptionsType)!);

    /// <summary>A plain value as text a user could type back (<c>null</c>, <c>0.99</c>, <c>[64, 64]</c>, <c>lin_0.001</c>).</summary>
    public static string Text(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IReadOnlyDictionary<string, object?> map => "{" + string.Join(", ", map.Select(p => $"{p.Key}: {Text(p.Value)}")) + "}",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Text)) + "]",
        _ => value.ToString() ?? "",
    };

    /// <summary>Writes a plain value as JSON.</summary>
    public static void Write(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case bool b: json.WriteBooleanValue(b); break;
            case string s: json.WriteStringValue(s); break;
            case int i: json.WriteNumberValue(i); break;
            case long l: json.WriteNumberValue(l); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
            case double or float: json.WriteStringValue(Text(value)); break;
            case IReadOnlyDictionary<string, object?> map:
                json.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    json.WritePropertyName(key);
                    Write(json, item);
                }
                json.WriteEndObject();
                break;
            case IEnumerable items:
                json.WriteStartArray();
                foreach (var item in items) Write(json, item);
                json.WriteEndArray();
                break;
            default: json.WriteStringValue(Text(value)); break;
        }
    }
}
