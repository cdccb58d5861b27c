using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Research.Abstractions.Spaces;

namespace Research.Rl.Bridge;

/// <summary>
/// A space as the bridge protocol describes it (JSON in the handshake) and lays its values out on the wire, with the
/// mapping onto the contract's flat float encoding (docs/bridge-protocol.md, "Space descriptions").
/// </summary>
public abstract class WireSpace
{
    private const long MaxExactInteger = 1 << 24;

    /// <summary>Bytes of one value on the wire.</summary>
    public abstract int WireSize { get; }

    /// <summary>Floats of one value in the contract's encoding.</summary>
    public abstract int FlatSize { get; }

    /// <summary>The contract's space; <paramref name="path"/> names where this one sits (<c>observation_space['goal']</c>) in errors.</summary>
    /// <exception cref="UnrepresentableSpaceException">The flat float contract cannot represent it.</exception>
    public abstract Space ToSpace(string path);

    /// <summary>Converts one wire value into flat floats.</summary>
    public abstract void Decode(ReadOnlySpan<byte> wire, Span<float> flat);

    /// <summary>Converts flat floats into one wire value.</summary>
    public abstract void Encode(ReadOnlySpan<float> flat, Span<byte> wire);

    /// <summary>Writes the JSON description.</summary>
    public abstract void WriteJson(Utf8JsonWriter writer);

    /// <summary>Reads a JSON description; <paramref name="path"/> names it in errors.</summary>
    public static WireSpace Parse(JsonElement json, string path)
    {
        string type = Text(json, "type", path);
        return type switch
        {
            "Box" => WireBox.FromJson(json, path),
            "Discrete" => new WireDiscrete(Integer(json, "n", path), json.TryGetProperty("start", out var s) ? s.GetInt64() : 0),
            "MultiDiscrete" => WireMultiDiscrete.FromJson(json, path),
            "MultiBinary" => new WireMultiBinary(ShapeOf(json, path)),
            "Dict" => new WireComposite(isTuple: false, [.. Array(json, "spaces", path).Select(pair =>
            {
                if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
                    throw new BridgeProtocolException($"{path}: a Dict entry must be a [key, space] pair, got {pair.GetRawText()}.");
                string key = pair[0].GetString() ?? throw new BridgeProtocolException($"{path}: a Dict key must be a string.");
                return (key, Parse(pair[1], $"{path}['{key}']"));
            })]),
            "Tuple" => new WireComposite(isTuple: true, [.. Array(json, "spaces", path).Select((s, i) => (i.ToString(CultureInfo.InvariantCulture), Parse(s, $"{path}[{i}]")))]),
            "Unsupported" => new WireUnsupported(Text(json, "class", path), json.TryGetProperty("repr", out var r) ? r.GetString() ?? "" : ""),
            _ => new WireUnsupported(type, json.GetRawText()),
        };
    }

    /// <summary>The wire form of a contract space (how <c>research env serve</c> describes its envs).</summary>
    public static WireSpace From(Space space) => space switch
    {
        Box box => new WireBox(WireDTypes.Parse(box.DType) ?? WireDType.Float32, [.. box.Shape], [.. box.Low.Select(x => (double)x)], [.. box.High.Select(x => (double)x)]),
        Discrete d => new WireDiscrete(d.N, d.Start),
        MultiDiscrete md => new WireMultiDiscrete([.. md.Nvec.Select(n => (long)n)], new long[md.Nvec.Length], [md.Nvec.Length], WireDType.Int64),
        MultiBinary mb => new WireMultiBinary([mb.N]),
        DictSpace dict => new WireComposite(isTuple: false, [.. dict.Spaces.Select(s => (s.Key, From(s.Value)))]),
        _ => throw new UnrepresentableSpaceException($"space {space} has no bridge description."),
    };

    /// <summary>The JSON description as a string.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) WriteJson(writer);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Checks that a count of values is exact in float32.</summary>
    protected static void RequireExact(long count, string path, string what)
    {
        if (count > MaxExactInteger)
            throw new UnrepresentableSpaceException($"{path}: {what} has {count} values; the flat float contract holds integers exactly only up to 2^24 = {MaxExactInteger}.");
    }

    internal static string Text(JsonElement json, string key, string path) =>
        json.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
            : throw new BridgeProtocolException($"{path}: the description has no string '{key}': {json.GetRawText()}.");

    internal static long Integer(JsonElement json, string key, string path) =>
        json.TryGetProperty(key, out var v) && v.TryGetInt64(out long n) ? n
            : throw new BridgeProtocolException($"{path}: the description has no integer '{key}': {json.GetRawText()}.");

    internal static IEnumerable<JsonElement> Array(JsonElement json, string key, string path) =>
        json.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList()
            : throw new BridgeProtocolException($"{path}: the description has no list '{key}': {json.GetRawText()}.");

    internal static int[] ShapeOf(JsonElement json, string path) =>
        [.. Array(json, "shape", path).Select(e => e.TryGetInt32(out int d) && d >= 0 ? d : throw new BridgeProtocolException($"{path}: bad shape {json.GetRawText()}."))];

    internal static double Number(JsonElement e, string path) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            "nan" => double.NaN,
            var s => throw new BridgeProtocolException($"{path}: '{s}' is not a number."),
        },
        _ => throw new BridgeProtocolException($"{path}: {e.GetRawText()} is not a number."),
    };

    internal static void WriteNumber(Utf8JsonWriter writer, double x)
    {
        if (double.IsNaN(x)) writer.WriteStringValue("nan");
        else if (double.IsInfinity(x)) writer.WriteStringValue(x > 0 ? "inf" : "-inf");
        else writer.WriteNumberValue(x);
    }

    internal static string FormatShape(int[] shape) => "(" + string.Join(", ", shape) + (shape.Length == 1 ? ",)" : ")");
}

/// <summary>Gymnasium's <c>Box</c>: prod(shape) elements of a dtype.</summary>
public sealed class WireBox(WireDType dtype, int[] shape, double[] low, double[] high) : WireSpace
{
    private readonly int _count = shape.Aggregate(1, (a, b) => a * b);

    /// <summary>The element type.</summary>
    public WireDType DType { get; } = dtype;

    /// <summary>The shape.</summary>
    public IReadOnlyList<int> Shape => shape;

    public override int WireSize => _count * DType.Size();
    public override int FlatSize => _count;

    // Integer values beyond 2^24 (bounds of int64 boxes are often ±2^63) and float64 precision are rounded to float32.
    public override Space ToSpace(string path)
    {
        return new Box([.. low.Select(x => (float)x)], [.. high.Select(x => (float)x)], [.. shape], DType.Name());
    }

    public override void Decode(ReadOnlySpan<byte> wire, Span<float> flat) => DType.Decode(wire, flat[.._count]);
    public override void Encode(ReadOnlySpan<float> flat, Span<byte> wire) => DType.Encode(flat[.._count], wire);

    public override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Box");
        writer.WriteString("dtype", DType.Name());
        writer.WriteStartArray("shape");
        foreach (int d in shape) writer.WriteNumberValue(d);
        writer.WriteEndArray();
        WriteBounds(writer, "low", low);
        WriteBounds(writer, "high", high);
        writer.WriteEndObject();
    }

    private static void WriteBounds(Utf8JsonWriter writer, string name, double[] values)
    {
        writer.WritePropertyName(name);
        if (values.Length > 0 && values.All(x => x.Equals(values[0])))
        {
            WriteNumber(writer, values[0]);
            return;
        }
        writer.WriteStartArray();
        foreach (double x in values) WriteNumber(writer, x);
        writer.WriteEndArray();
    }

    internal static WireBox FromJson(JsonElement json, string path)
    {
        string name = Text(json, "dtype", path);
        var dtype = WireDTypes.Parse(name)
                    ?? throw new UnrepresentableSpaceException($"{path}: Box dtype '{name}' has no float conversion; supported: float16/32/64, int8/16/32/64, uint8/16/32/64, bool.");
        var shape = ShapeOf(json, path);
        int count = shape.Aggregate(1, (a, b) => a * b);
        return new WireBox(dtype, shape, Bounds(json, "low", count, path), Bounds(json, "high", count, path));
    }

    private static double[] Bounds(JsonElement json, string key, int count, string path)
    {
        if (!json.TryGetProperty(key, out var v)) throw new BridgeProtocolException($"{path}: the Box has no '{key}'.");
        if (v.ValueKind != JsonValueKind.Array)
        {
            var filled = new double[count];
            System.Array.Fill(filled, Number(v, path));
            return filled;
        }
        var values = v.EnumerateArray().Select(e => Number(e, path)).ToArray();
        if (values.Length != count) throw new BridgeProtocolException($"{path}: '{key}' has {values.Length} values for {count} elements.");
        return values;
    }
}

/// <summary>Gymnasium's <c>Discrete(n, start)</c>: one int64 holding the value itself (start included).</summary>
public sealed class WireDiscrete(long n, long start) : WireSpace
{
    public override int WireSize => 8;
    public override int FlatSize => 1;

    public override Space ToSpace(string path)
    {
        RequireExact(n, path, $"Discrete({n})");
        if (Math.Abs(start) > (1 << 24)) throw new UnrepresentableSpaceException($"{path}: Discrete start {start} is beyond 2^24, not exact in float32.");
        return new Discrete((int)n, (int)start);
    }

    public override void Decode(ReadOnlySpan<byte> wire, Span<float> flat) => flat[0] = BinaryPrimitives.ReadInt64LittleEndian(wire);
    public override void Encode(ReadOnlySpan<float> flat, Span<byte> wire) => BinaryPrimitives.WriteInt64LittleEndian(wire, (long)MathF.Round(flat[0]));

    public override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Discrete");
        writer.WriteNumber("n", n);
        writer.WriteNumber("start", start);
        writer.WriteEndObject();
    }
}

/// <summary>Gymnasium's <c>MultiDiscrete(nvec, start)</c>: flattened to the contract's 0-based 1-D MultiDiscrete (the wire carries start + value).</summary>
public sealed class WireMultiDiscrete(long[] nvec, long[] start, int[] shape, WireDType dtype) : WireSpace
{
    public override int WireSize => nvec.Length * dtype.Size();
    public override int FlatSize => nvec.Length;

    public override Space ToSpace(string path)
    {
        foreach (long n in nvec) RequireExact(n, path, $"a MultiDiscrete component");
        return new MultiDiscrete([.. nvec.Select(n => (int)n)]);
    }

    public override void Decode(ReadOnlySpan<byte> wire, Span<float> flat)
    {
        dtype.Decode(wire, flat[..nvec.Length]);
        for (int i = 0; i < nvec.Length; i++) flat[i] -= start[i];
    }

    public override void Encode(ReadOnlySpan<float> flat, Span<byte> wire)
    {
        Span<float> shifted = nvec.Length <= 256 ? stackalloc float[nvec.Length] : new float[nvec.Length];
        for (int i = 0; i < nvec.Length; i++) shifted[i] = flat[i] + start[i];
        dtype.Encode(shifted, wire);
    }

    public override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "MultiDiscrete");
        writer.WriteStartArray("nvec");
        foreach (long n in nvec) writer.WriteNumberValue(n);
        writer.WriteEndArray();
        writer.WriteStartArray("shape");
        foreach (int d in shape) writer.WriteNumberValue(d);
        writer.WriteEndArray();
        writer.WriteStartArray("start");
        foreach (long s in start) writer.WriteNumberValue(s);
        writer.WriteEndArray();
        writer.WriteString("dtype", dtype.Name());
        writer.WriteEndObject();
    }

    internal static WireMultiDiscrete FromJson(JsonElement json, string path)
    {
        long[] nvec = [.. Array(json, "nvec", path).Select(e => e.GetInt64())];
        long[] start = json.TryGetProperty("start", out _) ? [.. Array(json, "start", path).Select(e => e.GetInt64())] : new long[nvec.Length];
        if (start.Length != nvec.Length) throw new BridgeProtocolException($"{path}: MultiDiscrete start has {start.Length} values for {nvec.Length} components.");
        string name = json.TryGetProperty("dtype", out var d) ? d.GetString() ?? "int64" : "int64";
        var dtype = WireDTypes.Parse(name) ?? throw new UnrepresentableSpaceException($"{path}: MultiDiscrete dtype '{name}' is not supported.");
        var shape = json.TryGetProperty("shape", out _) ? ShapeOf(json, path) : [nvec.Length];
        return new WireMultiDiscrete(nvec, start, shape, dtype);
    }
}

/// <summary>Gymnasium's <c>MultiBinary(n)</c>: prod(shape) int8, flattened.</summary>
public sealed class WireMultiBinary(int[] shape) : WireSpace
{
    private readonly int _count = shape.Aggregate(1, (a, b) => a * b);

    public override int WireSize => _count;
    public override int FlatSize => _count;
    public override Space ToSpace(string path) => new MultiBinary(_count);
    public override void Decode(ReadOnlySpan<byte> wire, Span<float> flat) => WireDType.Int8.Decode(wire, flat[.._count]);
    public override void Encode(ReadOnlySpan<float> flat, Span<byte> wire) => WireDType.Int8.Encode(flat[.._count], wire);

    public override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "MultiBinary");
        writer.WriteStartArray("shape");
        foreach (int d in shape) writer.WriteNumberValue(d);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}

/// <summary>Gymnasium's <c>Dict</c> (keys in the space's order) or <c>Tuple</c> (keys "0", "1", …): the parts concatenated.</summary>
public sealed class WireComposite : WireSpace
{
    private readonly (string Key, WireSpace Space)[] _parts;
    private readonly bool _isTuple;

    /// <summary>Creates a Dict (<paramref name="isTuple"/> false) or Tuple of <paramref name="parts"/>.</summary>
    public WireComposite(bool isTuple, (string Key, WireSpace Space)[] parts)
    {
        _isTuple = isTuple;
        _parts = parts;
        WireSize = parts.Sum(p => p.Space.WireSize);
        FlatSize = parts.Sum(p => p.Space.FlatSize);
    }

    public override int WireSize { get; }
    public override int FlatSize { get; }

    public override Space ToSpace(string path)
    {
        if (_parts.Length == 0) throw new UnrepresentableSpaceException($"{path}: an empty {(_isTuple ? "Tuple" : "Dict")} has no values to encode.");
        return new DictSpace(_parts.Select(p => new KeyValuePair<string, Space>(p.Key,
            p.Space.ToSpace(_isTuple ? $"{path}[{p.Key}]" : $"{path}['{p.Key}']"))));
    }

    public override void Decode(ReadOnlySpan<byte> wire, Span<float> flat)
    {
        int w = 0, f = 0;
        foreach (var (_, space) in _parts)
        {
            space.Decode(wire.Slice(w, space.WireSize), flat.Slice(f, space.FlatSize));
            w += space.WireSize;
            f += space.FlatSize;
        }
    }

    public override void Encode(ReadOnlySpan<float> flat, Span<byte> wire)
    {
        int w = 0, f = 0;
        foreach (var (_, space) in _parts)
        {
            space.Encode(flat.Slice(f, space.FlatSize), wire.Slice(w, space.WireSize));
            w += space.WireSize;
            f += space.FlatSize;
        }
    }

    public override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", _isTuple ? "Tuple" : "Dict");
        writer.WriteStartArray("spaces");
        foreach (var (key, space) in _parts)
        {
            if (_isTuple)
            {
                space.WriteJson(writer);
                continue;
            }
            writer.WriteStartArray();
            writer.WriteStringValue(key);
            space.WriteJson(writer);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}

/// <summary>A space the server could only name (Text, Graph, Sequence, …); <see cref="ToSpace"/> refuses it.</summary>
public sealed class WireUnsupported(string className, string repr) : WireSpace
{
    public override int WireSize => 0;
    public override int FlatSize => 0;

    public override Space ToSpace(string path) => throw new UnrepresentableSpaceException(
        $"{path} is {(repr.Length > 0 ? repr : className)}, a Gymnasium {className} space, which the flat float contract cannot represent; " +
        "supported: Box, Discrete, MultiDiscrete, MultiBinary, and Dict or Tuple of them.");

    public override void Decode(ReadOnlySpan<byte> wire, Span<float> flat) => throw new NotSupportedException();
    public override void Encode(ReadOnlySpan<float> flat, Span<byte> wire) => throw new NotSupportedException();

    public override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Unsupported");
        writer.WriteString("class", className);
        writer.WriteString("repr", repr);
        writer.WriteEndObject();
    }
}
