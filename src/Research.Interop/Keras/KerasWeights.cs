using PureHDF;
using Research.Rl.Policies;
using Research.Tensors;

namespace Research.Interop.Keras;

/// <summary>One Keras layer with weights: its name, kernel <c>[inputs, outputs]</c> and bias <c>[outputs]</c>.</summary>
public sealed record KerasLayer(string Name, float[] Kernel, int Inputs, int Outputs, float[] Bias);

/// <summary>A weights file refused: the message names the file, the layer and the reason.</summary>
public sealed class KerasWeightsException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// Keras <c>.h5</c> weights (<c>model.save_weights</c>, or <c>model.save</c>'s <c>model_weights</c> group) imported into a policy by
/// layer order and shape, as RLlib's <c>import_model("weights.h5")</c>: Keras's dense layers in <c>layer_names</c> order fill the
/// policy's linear layers in order — the actor's hidden layers, its head, then the critic's hidden layers and head (RLlib's
/// <c>fc_1 … fc_out, fc_value_1 … value_out</c>); a file with only the actor's layers leaves the critic as it was.
/// </summary>
public static class KerasWeights
{
    private const long MaxBytes = 1L << 30;

    /// <summary>The dense layers of <paramref name="path"/> in model order (layers without weights skipped).</summary>
    public static IReadOnlyList<KerasLayer> Read(string path)
    {
        if (!File.Exists(path)) throw new KerasWeightsException($"{path}: no such file.");
        if (new FileInfo(path).Length > MaxBytes) throw new KerasWeightsException($"{path}: over {MaxBytes} bytes.");
        try
        {
            using var file = H5File.OpenRead(path);
            IH5Group root = file.LinkExists("model_weights") ? file.Group("model_weights") : file;
            if (!root.AttributeExists("layer_names"))
                throw new KerasWeightsException($"{path}: not a Keras weights file (no 'layer_names' attribute at the root or in model_weights/).");
            var layers = new List<KerasLayer>();
            foreach (string name in root.Attribute("layer_names").Read<string[]>())
            {
                var group = root.Group(name);
                var weightNames = group.AttributeExists("weight_names") ? group.Attribute("weight_names").Read<string[]>() : [];
                if (weightNames.Length == 0) continue;
                if (weightNames.Length != 2)
                    throw new KerasWeightsException($"{path}: layer '{name}' has {weightNames.Length} weights ({string.Join(", ", weightNames)}); only dense layers (kernel, bias) are imported.");
                var kernel = group.Dataset(weightNames[0]);
                var bias = group.Dataset(weightNames[1]);
                var kernelShape = kernel.Space.Dimensions;
                var biasShape = bias.Space.Dimensions;
                if (kernelShape.Length != 2 || biasShape.Length != 1 || biasShape[0] != kernelShape[1])
                    throw new KerasWeightsException($"{path}: layer '{name}' has kernel ({string.Join(", ", kernelShape)}) and bias ({string.Join(", ", biasShape)}); only dense layers are imported.");
                layers.Add(new KerasLayer(name, kernel.Read<float[]>(), (int)kernelShape[0], (int)kernelShape[1], bias.Read<float[]>()));
            }
            return layers;
        }
        // PureHDF reports a malformed file with a plain Exception.
        catch (Exception e) when (e is not (KerasWeightsException or OutOfMemoryException))
        {
            throw new KerasWeightsException($"{path}: not a readable HDF5 weights file: {e.Message}", e);
        }
    }

    /// <summary>Loads <paramref name="path"/>'s layers into <paramref name="policy"/>'s linear layers in order (kernels transposed to PyTorch's <c>[out, in]</c>).</summary>
    public static void Load(PolicyBase policy, string path)
    {
        var layers = Read(path);
        var targets = LinearLayers(policy);
        int actorCount = targets.Count(t => t.Actor);
        if (layers.Count != targets.Count && layers.Count != actorCount)
            throw new KerasWeightsException(
                $"{path}: {layers.Count} dense layers ({string.Join(", ", layers.Select(l => l.Name))}) but the policy has {targets.Count} linear layers " +
                $"({string.Join(", ", targets.Select(t => t.Prefix.TrimEnd('.')))}){(actorCount < targets.Count ? $" or {actorCount} in its actor" : "")}.");
        var weights = policy.GetWeights();
        var shapes = policy.StateDict().ToDictionary(p => p.Key, p => p.Value.Shape.ToArray());
        for (int i = 0; i < layers.Count; i++)
        {
            var (layer, target) = (layers[i], targets[i]);
            var expected = shapes[target.Prefix + "weight"];
            if (expected[0] != layer.Outputs || expected[1] != layer.Inputs)
                throw new KerasWeightsException(
                    $"{path}: layer '{layer.Name}' has kernel ({layer.Inputs}, {layer.Outputs}) but '{target.Prefix}weight' needs ({expected[1]}, {expected[0]}) (Keras's [inputs, outputs]; PyTorch's shape is {Tensor.FormatShape(expected)}).");
            var transposed = new float[layer.Kernel.Length];
            for (int r = 0; r < layer.Inputs; r++)
                for (int c = 0; c < layer.Outputs; c++)
                    transposed[c * layer.Inputs + r] = layer.Kernel[r * layer.Outputs + c];
            weights[target.Prefix + "weight"] = transposed;
            weights[target.Prefix + "bias"] = layer.Bias;
        }
        policy.SetWeights(weights);
    }

    // The policy's linear layers in the order Keras models list them: actor hidden layers, actor head, critic hidden layers, critic head.
    private static List<(string Prefix, bool Actor)> LinearLayers(PolicyBase policy)
    {
        var names = policy.StateDict().Keys.Where(k => k.EndsWith(".weight", StringComparison.Ordinal) && !k.Contains("cnn.", StringComparison.Ordinal))
            .Select(k => k[..^"weight".Length]).ToList();
        List<string> Under(string prefix) => names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return policy switch
        {
            ActorCriticPolicy => [
                .. Under("mlp_extractor.policy_net.").Select(n => (n, true)), .. Under("action_net.").Select(n => (n, true)),
                .. Under("mlp_extractor.value_net.").Select(n => (n, false)), .. Under("value_net.").Select(n => (n, false))],
            QNetworkPolicy => [.. Under("q_net.q_net.").Select(n => (n, true))],
            _ => throw new NotSupportedException($"Keras weights cannot be imported into a {policy.GetType().Name}."),
        };
    }
}
