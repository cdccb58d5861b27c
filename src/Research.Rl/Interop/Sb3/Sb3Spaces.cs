using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Research.Abstractions.Spaces;
using Research.Rl.Algorithms;
using Research.Tensors.Io.Pickle;

namespace Research.Rl.Interop.Sb3;

/// <summary>
/// Gymnasium spaces in Stable-Baselines3's <c>data</c>: read from the readable fields SB3 writes beside the pickle (<c>_shape</c>,
/// <c>low</c>, <c>high</c>, <c>dtype</c>, <c>n</c>, <c>start</c>, <c>nvec</c>), never from the pickle; written as a pickle that calls the
/// space's constructor (what SB3 runs on load) plus the same readable fields.
/// </summary>
public static partial class Sb3Spaces
{
    /// <summary>The space stored under <paramref name="key"/> (<c>observation_space</c>, <c>action_space</c>).</summary>
    public static Space Read(Sb3Archive archive, string key)
    {
        var item = archive.Item(key);
        string where = $"{archive.Path}: data.{key}";
        string type = item.TryGetProperty(":type:", out var t) ? t.GetString() ?? "" : "";
        string Field(string name) => item.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()
            : throw new ModelFormatException($"{where}: the {type} has no readable '{name}'.");
        int[] Shape() => item.TryGetProperty("_shape", out var s) && s.ValueKind == JsonValueKind.Array
            ? s.EnumerateArray().Select(e => e.GetInt32()).ToArray()
            : throw new ModelFormatException($"{where}: no readable '_shape'.");
        try
        {
            switch (type)
            {
                case "<class 'gymnasium.spaces.box.Box'>" or "<class 'gym.spaces.box.Box'>":
                    {
                        var shape = Shape();
                        int count = shape.Aggregate(1, (a, b) => a * b);
                        string dtype = Field("dtype");
                        return new Box(Unbounded(Bounds(Field("low"), Field("low_repr"), count, where + ".low")),
                            Unbounded(Bounds(Field("high"), Field("high_repr"), count, where + ".high")), shape, dtype);
                    }
                case "<class 'gymnasium.spaces.discrete.Discrete'>" or "<class 'gym.spaces.discrete.Discrete'>":
                    return new Discrete(ParseInt(Field("n")), item.TryGetProperty("start", out _) ? ParseInt(Field("start")) : 0);
                case "<class 'gymnasium.spaces.multi_discrete.MultiDiscrete'>" or "<class 'gym.spaces.multi_discrete.MultiDiscrete'>":
                    return new MultiDiscrete(Numbers(Field("nvec")).Select(v => (int)v).ToArray());
                case "<class 'gymnasium.spaces.multi_binary.MultiBinary'>" or "<class 'gym.spaces.multi_binary.MultiBinary'>":
                    {
                        var shape = Shape();
                        if (shape.Length != 1) throw new ModelFormatException($"{where}: MultiBinary of shape ({string.Join(", ", shape)}) is not supported (only one dimension).");
                        return new MultiBinary(shape[0]);
                    }
                default:
                    throw new ModelFormatException($"{where}: space {(type.Length > 0 ? type : item.GetRawText())} is not supported (Box, Discrete, MultiDiscrete, MultiBinary are).");
            }
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new ModelFormatException($"{where}: {e.Message}", e);
        }
    }

    /// <summary>The data item for <paramref name="space"/>: a pickle calling the Gymnasium constructor, with SB3's readable fields.</summary>
    public static JsonObject Write(Space space)
    {
        var (typeName, call, fields) = space switch
        {
            Box box => ("gymnasium.spaces.box.Box", Call("gymnasium.spaces.box", "Box", Array(box.Low, box.Shape, box.DType), Array(box.High, box.Shape, box.DType), null,
                    Call("numpy", "dtype", box.DType)),
                new JsonObject
                {
                    ["dtype"] = box.DType,
                    ["_shape"] = new JsonArray(box.Shape.Select(s => (JsonNode)s).ToArray()),
                    ["low"] = NumpyText(box.Low),
                    ["high"] = NumpyText(box.High),
                    ["low_repr"] = NumpyText(box.Low),
                    ["high_repr"] = NumpyText(box.High),
                    ["_np_random"] = null,
                }),
            Discrete d => ("gymnasium.spaces.discrete.Discrete", Call("gymnasium.spaces.discrete", "Discrete", (long)d.N, null, (long)d.Start),
                new JsonObject { ["n"] = d.N.ToString(CultureInfo.InvariantCulture), ["start"] = d.Start.ToString(CultureInfo.InvariantCulture), ["_shape"] = new JsonArray(), ["dtype"] = "int64", ["_np_random"] = null }),
            MultiDiscrete md => ("gymnasium.spaces.multi_discrete.MultiDiscrete", Call("gymnasium.spaces.multi_discrete", "MultiDiscrete", md.Nvec.Select(n => (object?)(long)n).ToList()),
                new JsonObject { ["nvec"] = "[" + string.Join(" ", md.Nvec) + "]", ["_shape"] = new JsonArray((JsonNode)md.Nvec.Length), ["dtype"] = "int64", ["_np_random"] = null }),
            MultiBinary mb => ("gymnasium.spaces.multi_binary.MultiBinary", Call("gymnasium.spaces.multi_binary", "MultiBinary", (long)mb.N),
                new JsonObject { ["n"] = mb.N, ["_shape"] = new JsonArray((JsonNode)mb.N), ["dtype"] = "int8", ["_np_random"] = null }),
            _ => throw new NotSupportedException($"Stable-Baselines3 export: space {space} is not supported (Box, Discrete, MultiDiscrete, MultiBinary are)."),
        };
        var item = Sb3Data.Serialized($"<class '{typeName}'>", call);
        foreach (var (key, value) in fields) item[key] = value?.DeepClone();
        return item;
    }

    internal static PyObject Call(string module, string name, params object?[] arguments) => new(new PyGlobal(module, name), new PyTuple(arguments));

    private static PyObject Array(float[] values, IReadOnlyList<int> shape, string dtype)
    {
        var flat = Call("numpy", "array", values.Select(v => (object?)(double)v).ToList(), dtype);
        return shape.Count == 1 ? flat : Call("numpy", "reshape", flat, new PyTuple(shape.Select(s => (object?)(long)s).ToArray()));
    }

    // Gymnasium before 1.0 wrote an unbounded float32 dimension as ±float32 max (CartPole's velocities); 1.x and this build write ±inf.
    private static float[] Unbounded(float[] bounds) =>
        bounds.Select(b => b == float.MaxValue ? float.PositiveInfinity : b == float.MinValue ? float.NegativeInfinity : b).ToArray();

    private static string NumpyText(float[] values) =>
        "[" + string.Join(" ", values.Select(v => float.IsPositiveInfinity(v) ? "inf" : float.IsNegativeInfinity(v) ? "-inf" : v.ToString("R", CultureInfo.InvariantCulture))) + "]";

    private static float[] Bounds(string text, string repr, int count, string where)
    {
        if (!text.Contains("...", StringComparison.Ordinal))
        {
            var values = Numbers(text);
            if (values.Length == count) return values.Select(v => (float)v).ToArray();
            if (values.Length == 1) return Enumerable.Repeat((float)values[0], count).ToArray();
            throw new ModelFormatException($"{where}: {values.Length} values for a space of {count} elements.");
        }
        // NumPy summarises long arrays with "..."; Gymnasium's repr is a single number when every bound is equal (images).
        var scalar = Numbers(repr);
        if (scalar.Length == 1 && !repr.Contains("...", StringComparison.Ordinal)) return Enumerable.Repeat((float)scalar[0], count).ToArray();
        throw new ModelFormatException($"{where}: the bounds are summarised (\"...\") and not all equal, so they cannot be recovered without running the pickle.");
    }

    internal static double[] Numbers(string text) => NumberPattern().Matches(text).Select(m => m.Value switch
    {
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" or "-nan" => double.NaN,
        var s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    }).ToArray();

    private static int ParseInt(string text) => int.Parse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"[-+]?(inf|nan|(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)")]
    private static partial Regex NumberPattern();
}
