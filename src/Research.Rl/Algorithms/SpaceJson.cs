using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Abstractions.Spaces;

namespace Research.Rl.Algorithms;

/// <summary>Writes and reads every kind of space as JSON (for model files); infinite bounds are written as the strings <c>"inf"</c>/<c>"-inf"</c>.</summary>
public static class SpaceJson
{
    /// <summary>The space as a JSON object with a <c>type</c> and its parameters.</summary>
    public static JsonObject ToJson(Space space) => space switch
    {
        Box box => new JsonObject
        {
            ["type"] = "Box",
            ["shape"] = new JsonArray(box.Shape.Select(s => (JsonNode)s).ToArray()),
            ["dtype"] = box.DType,
            ["low"] = Floats(box.Low),
            ["high"] = Floats(box.High),
        },
        Discrete d => new JsonObject { ["type"] = "Discrete", ["n"] = d.N, ["start"] = d.Start },
        MultiDiscrete md => new JsonObject { ["type"] = "MultiDiscrete", ["nvec"] = new JsonArray(md.Nvec.Select(n => (JsonNode)n).ToArray()) },
        MultiBinary mb => new JsonObject { ["type"] = "MultiBinary", ["n"] = mb.N },
        DictSpace dict => new JsonObject
        {
            ["type"] = "Dict",
            ["spaces"] = new JsonArray(dict.Spaces.Select(s => (JsonNode)new JsonObject { ["key"] = s.Key, ["space"] = ToJson(s.Value) }).ToArray()),
        },
        _ => throw new NotSupportedException($"Cannot serialize space {space} ({space.GetType().Name})."),
    };

    /// <summary>Reads a space written by <see cref="ToJson"/>; <paramref name="source"/> names the file in errors.</summary>
    public static Space FromJson(JsonElement json, string source)
    {
        try
        {
            string type = json.GetProperty("type").GetString() ?? "";
            return type switch
            {
                "Box" => new Box(ReadFloats(json.GetProperty("low")), ReadFloats(json.GetProperty("high")),
                    json.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray(), json.GetProperty("dtype").GetString() ?? "float32"),
                "Discrete" => new Discrete(json.GetProperty("n").GetInt32(), json.GetProperty("start").GetInt32()),
                "MultiDiscrete" => new MultiDiscrete(json.GetProperty("nvec").EnumerateArray().Select(e => e.GetInt32()).ToArray()),
                "MultiBinary" => new MultiBinary(json.GetProperty("n").GetInt32()),
                "Dict" => new DictSpace(json.GetProperty("spaces").EnumerateArray()
                    .Select(e => new KeyValuePair<string, Space>(e.GetProperty("key").GetString() ?? "", FromJson(e.GetProperty("space"), source)))),
                _ => throw new ModelFormatException($"{source}: unknown space type '{type}'."),
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new ModelFormatException($"{source}: invalid space {json.GetRawText()}: {e.Message}", e);
        }
    }

    /// <summary>True when both spaces have the same kind, shape, dtype and bounds.</summary>
    public static bool AreEqual(Space a, Space b) => ToJson(a).ToJsonString() == ToJson(b).ToJsonString();

    private static JsonArray Floats(float[] values) => new(values.Select(v => float.IsFinite(v)
        ? (JsonNode)v
        : (JsonNode)(float.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf")).ToArray());

    private static float[] ReadFloats(JsonElement array) => array.EnumerateArray().Select(e => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetSingle(),
        JsonValueKind.String => e.GetString() switch
        {
            "inf" => float.PositiveInfinity,
            "-inf" => float.NegativeInfinity,
            "nan" => float.NaN,
            var s => float.Parse(s ?? "", CultureInfo.InvariantCulture),
        },
        _ => throw new FormatException($"bound {e.GetRawText()} is not a number"),
    }).ToArray();
}
