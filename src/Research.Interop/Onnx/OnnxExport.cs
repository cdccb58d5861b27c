using System.Text.Json;
using Google.Protobuf;
using Research.Abstractions.Spaces;
using Research.Interop.Onnx.Proto;
using Research.Rl.Algorithms;
using Research.Rl.Policies;
using Research.Tensors.Nn;
using static Research.Interop.Onnx.OnnxGraphBuilder;
using DataType = Research.Interop.Onnx.Proto.TensorProto.Types.DataType;

namespace Research.Interop.Onnx;

/// <summary>Observation normalization (VecNormalize's statistics) to fold into an exported graph: <c>clip((x − mean) / √(var + ε), ±clip)</c>.</summary>
public sealed record ObservationNormalization(double[] Mean, double[] Var, double Clip, double Epsilon)
{
    /// <summary>The statistics saved in a model file, or null when it has none.</summary>
    public static ObservationNormalization? FromModel(string modelPath)
    {
        var header = ModelArchive.ReadData(modelPath);
        string algorithm = header.GetProperty("algorithm").GetString() ?? "";
        var archive = ModelArchive.Read(modelPath, algorithm);
        if (archive.Normalizer is null) return null;
        var settings = archive.Property("normalizer");
        if (settings.TryGetProperty("norm_obs_keys", out var keys) && keys.ValueKind == JsonValueKind.Array)
            throw new NotSupportedException($"{modelPath}: ONNX export of per-key normalized Dict observations is not supported.");
        return new ObservationNormalization(archive.Normalizer["obs_rms.mean"].AsFloat64(), archive.Normalizer["obs_rms.var"].AsFloat64(),
            settings.GetProperty("clip_obs").GetDouble(), settings.GetProperty("epsilon").GetDouble());
    }
}

/// <summary>
/// Writes a policy's deterministic actor as an ONNX graph (opset 13, dynamic batch) that any ONNX runtime (ONNX Runtime, Unity
/// Sentis/Barracuda, C++) runs without this project: input <c>obs</c>, outputs <c>action</c> (what <c>Predict(…, deterministic: true)</c>
/// returns) and <c>action_parameters</c> (logits, Gaussian means or Q-values). Observation normalization, image scaling and channel order,
/// one-hot encoding, and clipping to the action bounds are folded in, as Stable-Baselines3's export guide does by hand.
/// </summary>
public static class OnnxExport
{
    /// <summary>The operator set the graphs use.</summary>
    public const int Opset = 13;

    /// <summary>Writes the policy's deterministic actor to <paramref name="path"/> (atomically).</summary>
    public static void ExportOnnx(this PolicyBase policy, string path, ObservationNormalization? normalization = null)
    {
        var model = Build(policy, normalization);
        Research.Storage.AtomicFile.Write(path, model.WriteTo);
    }

    /// <summary>The ONNX model of the policy's deterministic actor.</summary>
    public static ModelProto Build(PolicyBase policy, ObservationNormalization? normalization = null)
    {
        var (features, hidden, head) = policy switch
        {
            ActorCriticPolicy => ("features_extractor.", "mlp_extractor.policy_net.", "action_net."),
            QNetworkPolicy => ("q_net.features_extractor.", "q_net.q_net.", (string?)null),
            _ => throw new NotSupportedException(
                $"ONNX export of a {policy.GetType().Name} is not supported (ActorCriticPolicy: PPO, A2C, BC, GAIL; QNetworkPolicy: DQN)."),
        };
        var weights = policy.StateDict().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var graph = new OnnxGraphBuilder();
        var space = policy.ObservationSpace;
        bool image = ObservationPreprocessor.IsImage(space);
        long[] inputDims = space is Box box ? [.. box.Shape.Select(d => (long)d)] : [space.FlatSize];
        graph.Graph.Input.Add(Value("obs", DataType.Float, inputDims,
            $"Observations of {space} (raw, as the environment returns them{(space is Box ? "" : ", in the flat encoding")})."));

        string x = "obs";
        if (normalization is not null) x = Normalize(graph, x, normalization, space, inputDims);
        x = Preprocess(graph, x, space, image);
        if (image) x = NatureCnn(graph, x, features, weights, space);
        // The actor's hidden layers end in an activation (SB3's MlpExtractor); the Q-network's last layer is the output.
        x = Linears(graph, x, hidden, weights, policy.Options.ActivationFn, activateLast: head is not null);
        string parameters = head is null ? x : Linear(graph, x, head, weights);
        parameters = graph.Node("Identity", [parameters], output: "action_parameters");
        var (action, actionType, actionDims) = Action(graph, parameters, policy.ActionSpace);
        graph.Graph.Output.Add(Value(action, actionType, actionDims, $"The deterministic action in {policy.ActionSpace}."));
        graph.Graph.Output.Add(Value(parameters, DataType.Float, [policy.Head.ParameterCount],
            policy is QNetworkPolicy ? "Q-values per action." : policy.ActionSpace is Box ? "Gaussian means before clipping." : "Logits."));

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "research",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            Graph = graph.Graph,
            DocString = $"Deterministic actor of a {policy.GetType().Name}.",
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "observation_space", Value = SpaceJson.ToJson(space).ToJsonString() });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "action_space", Value = SpaceJson.ToJson(policy.ActionSpace).ToJsonString() });
        return model;
    }

    private static string Normalize(OnnxGraphBuilder graph, string x, ObservationNormalization n, Space space, long[] dims)
    {
        if (space is not Box) throw new NotSupportedException($"ONNX export: observation normalization of {space} is not supported (Box observations are).");
        if (n.Mean.Length != space.FlatSize)
            throw new ArgumentException($"ONNX export: normalization statistics have {n.Mean.Length} values for {space.FlatSize} observation values.");
        var mean = graph.Floats("obs_rms_mean", n.Mean.Select(v => (float)v).ToArray(), dims);
        var std = graph.Floats("obs_rms_std", n.Var.Select(v => (float)Math.Sqrt(v + n.Epsilon)).ToArray(), dims);
        var scaled = graph.Node("Div", [graph.Node("Sub", [x, mean]), std]);
        return graph.Node("Clip", [scaled, graph.Floats("clip_low", [(float)-n.Clip]), graph.Floats("clip_high", [(float)n.Clip])]);
    }

    // Stable-Baselines' preprocess_obs: images scaled to [0, 1] (and made channel-first), Box flattened, Discrete/MultiDiscrete one-hot.
    private static string Preprocess(OnnxGraphBuilder graph, string x, Space space, bool image)
    {
        if (image)
        {
            x = graph.Node("Div", [x, graph.Floats("pixel_scale", [255f])]);
            var shape = space.Shape;
            return shape[2] <= 4 && shape[0] > 4 ? graph.Node("Transpose", [x], [Ints("perm", 0, 3, 1, 2)]) : x;
        }
        return space switch
        {
            Box => space.Shape.Count == 1 ? x : graph.Node("Flatten", [x], [Int("axis", 1)]),
            MultiBinary => x,
            _ => Segments(graph, x, space),
        };
    }

    private static string Segments(OnnxGraphBuilder graph, string x, Space space)
    {
        var parts = new List<string>();
        int offset = 0;
        void Part(Space sub)
        {
            string slice = graph.Node("Slice", [x, graph.Int64s($"s{offset}_start", [offset], 1), graph.Int64s($"s{offset}_end", [offset + sub.FlatSize], 1),
                graph.Int64s($"s{offset}_axis", [1], 1)]);
            switch (sub)
            {
                case Box or MultiBinary:
                    parts.Add(slice);
                    break;
                case Discrete d:
                    parts.Add(OneHot(graph, d.Start == 0 ? slice : graph.Node("Sub", [slice, graph.Floats($"s{offset}_start_value", [d.Start])]), d.N, $"s{offset}"));
                    break;
                case MultiDiscrete md:
                    for (int i = 0; i < md.Nvec.Length; i++)
                    {
                        string component = graph.Node("Slice", [slice, graph.Int64s($"s{offset}_{i}_start", [i], 1), graph.Int64s($"s{offset}_{i}_end", [i + 1], 1),
                            graph.Int64s($"s{offset}_{i}_axis", [1], 1)]);
                        parts.Add(OneHot(graph, component, md.Nvec[i], $"s{offset}_{i}"));
                    }
                    break;
                default:
                    throw new NotSupportedException($"ONNX export: observation space {sub} is not supported.");
            }
            offset += sub.FlatSize;
        }
        if (space is DictSpace dict) foreach (var (_, sub) in dict.Spaces) Part(sub);
        else Part(space);
        return parts.Count == 1 ? parts[0] : graph.Node("Concat", [.. parts], [Int("axis", 1)]);
    }

    private static string OneHot(OnnxGraphBuilder graph, string index, int depth, string name)
    {
        // index [batch, 1] == [0 … depth−1] broadcasts to [batch, depth]; Equal runs everywhere (OneHot lacks float kernels in some runtimes).
        var classes = graph.Floats(name + "_classes", [.. Enumerable.Range(0, depth).Select(k => (float)k)], 1, depth);
        return graph.Node("Cast", [graph.Node("Equal", [index, classes])], [Int("to", (long)DataType.Float)]);
    }

    private static string NatureCnn(OnnxGraphBuilder graph, string x, string prefix, Dictionary<string, Research.Tensors.Tensor> weights, Space space)
    {
        if (!weights.ContainsKey(prefix + "cnn.0.weight"))
            throw new NotSupportedException($"ONNX export: the image feature extractor '{prefix}' is not NatureCNN.");
        foreach (var (index, stride) in new[] { (0, 4L), (2, 2L), (4, 1L) })
        {
            var w = weights[$"{prefix}cnn.{index}.weight"];
            long k = w.Shape[2];
            string weight = Const(graph, $"{prefix}cnn.{index}.weight", w), bias = Const(graph, $"{prefix}cnn.{index}.bias", weights[$"{prefix}cnn.{index}.bias"]);
            x = graph.Node("Conv", [x, weight, bias], [Ints("kernel_shape", k, k), Ints("strides", stride, stride)]);
            x = graph.Node("Relu", [x]);
        }
        x = graph.Node("Flatten", [x], [Int("axis", 1)]);
        return graph.Node("Relu", [Linear(graph, x, prefix + "linear.0.", weights)]);
    }

    private static string Linears(OnnxGraphBuilder graph, string x, string prefix, Dictionary<string, Research.Tensors.Tensor> weights, Activation activation, bool activateLast)
    {
        var indices = weights.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && k.EndsWith(".weight", StringComparison.Ordinal))
            .Select(k => int.Parse(k[prefix.Length..^".weight".Length], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        for (int i = 0; i < indices.Count; i++)
        {
            x = Linear(graph, x, $"{prefix}{indices[i]}.", weights);
            if (i + 1 < indices.Count || activateLast) x = Activate(graph, x, activation);
        }
        return x;
    }

    private static string Linear(OnnxGraphBuilder graph, string x, string prefix, Dictionary<string, Research.Tensors.Tensor> weights) =>
        graph.Node("Gemm", [x, Const(graph, prefix + "weight", weights[prefix + "weight"]), Const(graph, prefix + "bias", weights[prefix + "bias"])],
            [Int("transB", 1)]);

    private static string Const(OnnxGraphBuilder graph, string name, Research.Tensors.Tensor tensor) =>
        graph.Graph.Initializer.Any(t => t.Name == name) ? name : graph.Floats(name, tensor.ToArray(), [.. tensor.Shape.ToArray().Select(d => (long)d)]);

    private static string Activate(OnnxGraphBuilder graph, string x, Activation activation) => activation switch
    {
        Activation.Identity => x,
        Activation.Tanh => graph.Node("Tanh", [x]),
        Activation.Relu => graph.Node("Relu", [x]),
        Activation.LeakyRelu => graph.Node("LeakyRelu", [x], [Float("alpha", 0.01f)]),
        Activation.Elu => graph.Node("Elu", [x], [Float("alpha", 1f)]),
        Activation.Sigmoid => graph.Node("Sigmoid", [x]),
        Activation.Softplus => graph.Node("Softplus", [x]),
        _ => throw new NotSupportedException($"ONNX export: activation {activation} is not supported."),
    };

    private static (string Name, DataType Type, long[] Dims) Action(OnnxGraphBuilder graph, string parameters, Space space)
    {
        switch (space)
        {
            case Discrete d:
                {
                    string argmax = graph.Node("ArgMax", [parameters], [Int("axis", 1), Int("keepdims", 0)], d.Start == 0 ? "action" : null);
                    return (d.Start == 0 ? argmax : graph.Node("Add", [argmax, graph.Int64s("action_start", [d.Start])], output: "action"), DataType.Int64, []);
                }
            case Box box:
                {
                    long[] dims = [.. box.Shape.Select(s => (long)s)];
                    string clipped = graph.Node("Max", [graph.Node("Min", [parameters, graph.Floats("action_high", box.High, box.FlatSize)]),
                        graph.Floats("action_low", box.Low, box.FlatSize)], output: box.Shape.Count == 1 ? "action" : null);
                    return box.Shape.Count == 1
                        ? (clipped, DataType.Float, dims)
                        : (graph.Node("Reshape", [clipped, graph.Int64s("action_shape", [-1, .. dims], dims.Length + 1)], output: "action"), DataType.Float, dims);
                }
            case MultiDiscrete md:
                {
                    var parts = new List<string>();
                    for (int i = 0, offset = 0; i < md.Nvec.Length; offset += md.Nvec[i], i++)
                    {
                        string slice = graph.Node("Slice", [parameters, graph.Int64s($"a{i}_start", [offset], 1), graph.Int64s($"a{i}_end", [offset + md.Nvec[i]], 1),
                            graph.Int64s($"a{i}_axis", [1], 1)]);
                        parts.Add(graph.Node("ArgMax", [slice], [Int("axis", 1), Int("keepdims", 1)]));
                    }
                    return (graph.Node("Concat", [.. parts], [Int("axis", 1)], "action"), DataType.Int64, [md.Nvec.Length]);
                }
            case MultiBinary mb:
                {
                    // The Bernoulli mode: p > 0.5, i.e. logit > 0.
                    string positive = graph.Node("Greater", [parameters, graph.Floats("zero", [0f])]);
                    return (graph.Node("Cast", [positive], [Int("to", (long)DataType.Int64)], "action"), DataType.Int64, [mb.N]);
                }
            default:
                throw new NotSupportedException($"ONNX export: action space {space} is not supported.");
        }
    }
}
