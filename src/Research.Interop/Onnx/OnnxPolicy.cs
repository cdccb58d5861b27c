using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Research.Abstractions.Spaces;
using Research.Interop.Onnx.Proto;
using Research.Rl.Algorithms;
using Research.Tensors;
using DataType = Research.Interop.Onnx.Proto.TensorProto.Types.DataType;

namespace Research.Interop.Onnx;

/// <summary>
/// Runs an ONNX policy graph on the project's tensor engine: the operators <see cref="OnnxExport"/> writes (Gemm, Conv, activations,
/// elementwise arithmetic, Clip, Slice, Concat, Transpose, Flatten, Reshape, ArgMax, Equal, Greater, Cast), so <c>research predict</c>
/// runs exported policies with no native runtime. Any other operator is refused by name.
/// </summary>
public sealed class OnnxPolicy
{
    private const long MaxFileBytes = 1L << 30;
    private static readonly HashSet<string> Supported =
    [
        "Identity", "Add", "Sub", "Mul", "Div", "Min", "Max", "Equal", "Greater", "Clip", "Cast", "Flatten", "Transpose", "Slice", "Concat",
        "Reshape", "Gemm", "Conv", "Relu", "Tanh", "LeakyRelu", "Elu", "Sigmoid", "Softplus", "ArgMax",
    ];

    private readonly GraphProto _graph;
    private readonly Dictionary<string, Tensor> _initializers = new(StringComparer.Ordinal);
    private readonly string _path;

    private OnnxPolicy(string path, ModelProto model)
    {
        _path = path;
        _graph = model.Graph ?? throw new InvalidDataException($"{path}: the ONNX model has no graph.");
        foreach (var tensor in _graph.Initializer) _initializers[tensor.Name] = Decode(tensor);
        foreach (var node in _graph.Node)
            if (!Supported.Contains(node.OpType) || node.Domain.Length > 0)
                throw new NotSupportedException($"{path}: operator {(node.Domain.Length > 0 ? node.Domain + "." : "")}{node.OpType} (node '{node.Name}') is not supported here (this runner covers the graphs research exports: {string.Join(", ", Supported)}); run it with ONNX Runtime.");
        if (_graph.Input.Count != 1) throw new NotSupportedException($"{path}: the graph has {_graph.Input.Count} inputs; a policy has one (obs).");
        string Meta(string key) => model.MetadataProps.FirstOrDefault(p => p.Key == key)?.Value ?? "";
        ObservationSpace = Meta("observation_space") is { Length: > 0 } o ? SpaceJson.FromJson(JsonDocument.Parse(o).RootElement, path) : null;
        ActionSpace = Meta("action_space") is { Length: > 0 } a ? SpaceJson.FromJson(JsonDocument.Parse(a).RootElement, path) : null;
        InputShape = _graph.Input[0].Type.TensorType.Shape.Dim.Skip(1).Select(d => (int)d.DimValue).ToArray();
    }

    /// <summary>The observation space recorded by the exporter, or null for a graph from elsewhere.</summary>
    public Space? ObservationSpace { get; }

    /// <summary>The action space recorded by the exporter, or null.</summary>
    public Space? ActionSpace { get; }

    /// <summary>One observation's shape as the graph's input declares it (after the batch dimension).</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>Reads an <c>.onnx</c> file; failures name the file and the reason.</summary>
    public static OnnxPolicy Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such ONNX file.", path);
        if (new FileInfo(path).Length > MaxFileBytes) throw new InvalidDataException($"{path}: over {MaxFileBytes} bytes.");
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path}: not an ONNX model: {e.Message}", e);
        }
        return new OnnxPolicy(path, model);
    }

    /// <summary>Runs the graph on <paramref name="batch"/> observations; returns every graph output by name (integers as whole floats).</summary>
    public IReadOnlyDictionary<string, Tensor> Run(float[] observations, int batch)
    {
        int per = InputShape.Aggregate(1, (a, b) => a * b);
        if (observations.Length != batch * per)
            throw new ArgumentException($"{_path}: expected {batch} observation(s) of {per} values (shape ({string.Join(", ", InputShape)})), got {observations.Length} values.");
        var values = new Dictionary<string, Tensor>(_initializers, StringComparer.Ordinal)
        {
            [_graph.Input[0].Name] = Tensor.FromArray(observations, [batch, .. InputShape]),
        };
        using var noGrad = Tensor.NoGrad();
        foreach (var node in _graph.Node)
        {
            var inputs = node.Input.Select(name => values.TryGetValue(name, out var v) ? v
                : throw new InvalidDataException($"{_path}: node '{node.Name}' reads '{name}', which no earlier node produced.")).ToArray();
            values[node.Output[0]] = Evaluate(node, inputs);
        }
        return _graph.Output.ToDictionary(o => o.Name, o => values[o.Name], StringComparer.Ordinal);
    }

    /// <summary>Whether the graph output <paramref name="name"/> holds integers (int64) rather than floats.</summary>
    public bool IsInteger(string name) => _graph.Output.First(o => o.Name == name).Type.TensorType.ElemType == (int)DataType.Int64;

    private Tensor Evaluate(NodeProto node, Tensor[] x)
    {
        long Attribute(string name, long fallback) => node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;
        float FloatAttribute(string name, float fallback) => node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;
        long[] Longs(Tensor t) => t.ToArray().Select(v => (long)v).ToArray();
        switch (node.OpType)
        {
            case "Identity" or "Cast": return x[0];
            case "Add": return x[0] + x[1];
            case "Sub": return x[0] - x[1];
            case "Mul": return x[0] * x[1];
            case "Div": return x[0] / x[1];
            case "Min": return Tensor.Minimum(x[0], x[1]);
            case "Max": return Tensor.Maximum(x[0], x[1]);
            case "Equal": return x[0].Eq(x[1]);
            case "Greater": return x[0].Gt(x[1]);
            case "Clip": return x[0].Clamp(x.Length > 1 ? x[1].Item() : float.NegativeInfinity, x.Length > 2 ? x[2].Item() : float.PositiveInfinity);
            case "Relu": return x[0].Relu();
            case "Tanh": return x[0].Tanh();
            case "Sigmoid": return x[0].Sigmoid();
            case "Softplus": return x[0].Softplus();
            case "LeakyRelu": return x[0].LeakyRelu(FloatAttribute("alpha", 0.01f));
            case "Elu": return x[0].Elu(FloatAttribute("alpha", 1f));
            case "Flatten":
                {
                    int axis = (int)Attribute("axis", 1);
                    var shape = x[0].Shape.ToArray();
                    int outer = shape.Take(axis).Aggregate(1, (a, b) => a * b);
                    return x[0].Contiguous().Reshape(outer, shape.Skip(axis).Aggregate(1, (a, b) => a * b));
                }
            case "Transpose":
                return x[0].Permute([.. node.Attribute.First(a => a.Name == "perm").Ints.Select(p => (int)p)]).Contiguous();
            case "Slice":
                {
                    long start = Longs(x[1])[0], end = Longs(x[2])[0];
                    int axis = x.Length > 3 ? (int)Longs(x[3])[0] : 0;
                    return x[0].Narrow(axis, (int)start, (int)(Math.Min(end, x[0].Shape[axis]) - start));
                }
            case "Concat": return Tensor.Concat(x, (int)Attribute("axis", 0));
            case "Reshape":
                {
                    var shape = Longs(x[1]).Select(d => (int)d).ToArray();
                    int known = shape.Where(d => d != -1).Aggregate(1, (a, b) => a * b);
                    for (int d = 0; d < shape.Length; d++) if (shape[d] == -1) shape[d] = x[0].Count / known;
                    return x[0].Contiguous().Reshape(shape);
                }
            case "Gemm":
                {
                    if (Attribute("transA", 0) != 0 || FloatAttribute("alpha", 1) != 1 || FloatAttribute("beta", 1) != 1)
                        throw new NotSupportedException($"{_path}: Gemm node '{node.Name}' uses transA/alpha/beta, which this runner does not.");
                    var bias = x.Length > 2 ? x[2] : null;
                    return Attribute("transB", 0) != 0 ? Tensor.Linear(x[0], x[1], bias) : bias is null ? x[0].Matmul(x[1]) : x[0].Matmul(x[1]) + bias;
                }
            case "Conv":
                {
                    var strides = node.Attribute.FirstOrDefault(a => a.Name == "strides")?.Ints ?? [];
                    if (node.Attribute.Any(a => a.Name is "pads" or "dilations" or "group" && a.Ints.Concat([a.I]).Any(v => v > 1 || (a.Name == "pads" && v != 0))))
                        throw new NotSupportedException($"{_path}: Conv node '{node.Name}' uses padding, dilation or groups, which this runner does not.");
                    return Tensor.Conv2d(x[0], x[1], x.Length > 2 ? x[2] : null, strides.Count > 0 ? (int)strides[0] : 1);
                }
            case "ArgMax": return x[0].Argmax((int)Attribute("axis", 0), Attribute("keepdims", 1) != 0);
            default: throw new NotSupportedException($"{_path}: operator {node.OpType} is not supported.");
        }
    }

    private Tensor Decode(TensorProto tensor)
    {
        var dims = tensor.Dims.Select(d => checked((int)d)).ToArray();
        float[] values = (DataType)tensor.DataType switch
        {
            DataType.Float when tensor.RawData.Length > 0 => Floats(tensor.RawData.Span),
            DataType.Float => [.. tensor.FloatData],
            DataType.Int64 when tensor.RawData.Length > 0 => Enumerable.Range(0, tensor.RawData.Length / 8)
                .Select(i => (float)BitConverter.ToInt64(tensor.RawData.Span.Slice(8 * i, 8))).ToArray(),
            DataType.Int64 => [.. tensor.Int64Data.Select(v => (float)v)],
            _ => throw new NotSupportedException($"{_path}: initializer '{tensor.Name}' has data type {tensor.DataType}, not float or int64."),
        };
        if (values.Length != dims.Aggregate(1, (a, b) => a * b))
            throw new InvalidDataException($"{_path}: initializer '{tensor.Name}' has {values.Length} values for shape ({string.Join(", ", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)))}).");
        return Tensor.FromArray(values, dims);
    }

    private static float[] Floats(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++) values[i] = BitConverter.ToSingle(bytes.Slice(4 * i, 4));
        return values;
    }
}
