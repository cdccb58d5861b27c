using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Research.Tune;

/// <summary>The JSON conventions of every file Tune writes: snake_case keys, string enums, plain values for <c>object</c>.</summary>
internal static class TuneJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower), new PlainValueConverter() },
    };

    /// <summary>Reads a JSON file into <typeparamref name="T"/>; a missing or bad file raises an error naming it.</summary>
    public static T Read<T>(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream, Options) ?? throw new InvalidDataException($"{path}: the file holds null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> atomically.</summary>
    public static void Write<T>(string path, T value) =>
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, value, Options));

    /// <summary>Writes a plain value (null, bool, number, string, list, map) with <paramref name="writer"/>.</summary>
    public static void WritePlain(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case float f: WriteDouble(writer, f); break;
            case double d: WriteDouble(writer, d); break;
            case string s: writer.WriteStringValue(s); break;
            case IReadOnlyDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (k, v) in map)
                {
                    writer.WritePropertyName(k);
                    WritePlain(writer, v);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list) WritePlain(writer, item);
                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    /// <summary>Doubles that JSON cannot hold (NaN, ±∞) are written as null, as Tune's JSON logger does.</summary>
    private static void WriteDouble(Utf8JsonWriter writer, double d)
    {
        if (double.IsFinite(d)) writer.WriteNumberValue(d);
        else writer.WriteNullValue();
    }

    /// <summary>A JSON element as a plain value: integers as long, other numbers as double, objects as ordered maps.</summary>
    public static object? ToPlain(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => element.TryGetInt64(out var l) ? (object)l : element.GetDouble(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Array => element.EnumerateArray().Select(ToPlain).ToList(),
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => ToPlain(p.Value)),
        _ => null,
    };

    /// <summary>Dotted keys to nested maps (<c>a.b: 1</c> → <c>a: {b: 1}</c>), as Tune writes <c>params.json</c>.</summary>
    public static Dictionary<string, object?> Nest(IReadOnlyDictionary<string, object?> flat)
    {
        var root = new Dictionary<string, object?>();
        foreach (var (key, value) in flat)
        {
            var parts = key.Split('.');
            var map = root;
            for (int i = 0; i < parts.Length - 1; i++)
            {
                if (map.TryGetValue(parts[i], out var existing) && existing is Dictionary<string, object?> inner) map = inner;
                else map = (Dictionary<string, object?>)(map[parts[i]] = new Dictionary<string, object?>());
            }
            map[parts[^1]] = value;
        }
        return root;
    }

    /// <summary>Nested maps to dotted keys, the inverse of <see cref="Nest"/>.</summary>
    public static Dictionary<string, object?> Flatten(IReadOnlyDictionary<string, object?> nested)
    {
        var flat = new Dictionary<string, object?>();
        foreach (var (key, value) in SearchSpace.Flatten(nested)) flat[key] = value;
        return flat;
    }

    /// <summary>Formats a plain value briefly, for trial names and tables.</summary>
    public static string Short(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("G5", CultureInfo.InvariantCulture),
        float f => f.ToString("G5", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => s,
        IEnumerable e => "[" + string.Join(",", e.Cast<object?>().Select(Short)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Reads and writes <c>object</c>-typed values as plain values rather than <see cref="JsonElement"/>s.</summary>
    private sealed class PlainValueConverter : JsonConverter<object>
    {
        public override object? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return ToPlain(document.RootElement);
        }

        public override void Write(Utf8JsonWriter writer, object value, JsonSerializerOptions options) => WritePlain(writer, value);
    }
}
