using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Rl.Algorithms;
using Research.Tensors;
using Research.Tensors.Io;
using Research.Tensors.Io.Pickle;

namespace Research.Rl.Interop.Sb3;

/// <summary>What an import did: the algorithm, and what could not be carried over exactly.</summary>
public sealed record Sb3ImportResult(string Algorithm, IReadOnlyList<string> Notes);

/// <summary>
/// Converts a Stable-Baselines3 model file (PPO, A2C, DQN) into this project's model file: options from <c>data</c>, spaces from
/// their readable fields, the policy's state dict (SB3's names are ours), and the optimizer's state so that training continues.
/// </summary>
public static class Sb3Import
{
    /// <summary>Reads <paramref name="sb3Path"/> and writes our model to <paramref name="outputPath"/> (atomically).</summary>
    /// <param name="sb3Path">The SB3 <c>.zip</c>.</param>
    /// <param name="outputPath">Our model file to write.</param>
    /// <param name="algorithm">The algorithm when it should not be detected from the file.</param>
    public static Sb3ImportResult Convert(string sb3Path, string outputPath, string? algorithm = null)
    {
        var archive = Sb3Archive.Read(sb3Path);
        var mapping = algorithm is null ? Sb3Mapping.Detect(archive) : Sb3Mapping.For(algorithm, sb3Path);
        var notes = new List<string>();
        var observation = Sb3Spaces.Read(archive, "observation_space");
        var action = Sb3Spaces.Read(archive, "action_space");
        var options = mapping.ImportOptions(archive, notes);
        var policy = mapping.CreatePolicy(observation, action, options);

        var stateDict = mapping.ImportPolicy(archive.StateDict("policy"), sb3Path);
        var weights = stateDict.ToDictionary(p => p.Key, p => p.Value.Array, StringComparer.Ordinal);
        try
        {
            policy.LoadNpyArrays(weights, $"{sb3Path} (policy.pth)");
        }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException(e.Message, e);
        }

        var optimizer = ImportOptimizer(archive, mapping, policy, stateDict.Select(p => p.Key).ToList(), options);
        long timesteps = (long)(archive.Number("num_timesteps") ?? 0);
        var data = new JsonObject
        {
            ["format_version"] = ModelArchive.FormatVersion,
            ["algorithm"] = mapping.Algorithm,
            ["options"] = JsonSerializer.SerializeToNode(options),
            ["observation_space"] = SpaceJson.ToJson(observation),
            ["action_space"] = SpaceJson.ToJson(action),
            ["num_timesteps"] = timesteps,
            ["iteration"] = Iterations(archive, options, timesteps),
            ["imported_from"] = $"Stable-Baselines3 {archive.Version}",
        };
        if (archive.Number("exploration_rate") is { } epsilon) data["exploration_rate"] = epsilon;
        ModelArchive.Write(outputPath, data, policy.ToNpyArrays(), optimizer, null);
        return new Sb3ImportResult(mapping.Algorithm, notes);
    }

    /// <summary>Converts to a temporary file, hands its path to <paramref name="load"/>, and deletes it.</summary>
    public static T Load<T>(string sb3Path, string algorithm, Func<string, T> load)
    {
        string temp = Path.Combine(Path.GetTempPath(), $"research-sb3-{Environment.ProcessId}-{Guid.NewGuid():N}.zip");
        try
        {
            Convert(sb3Path, temp, algorithm);
            return load(temp);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static int Iterations(Sb3Archive archive, IReadOnlyDictionary<string, object?> options, long timesteps)
    {
        // SB3 keeps no iteration counter; on-policy iterations are whole rollouts.
        double perIteration = options.TryGetValue("n_steps", out var n) && n is long steps ? steps * (options.TryGetValue("n_envs", out var e) && e is long envs ? envs : 1) : 0;
        return perIteration > 0 ? (int)(timesteps / perIteration) : (int)(archive.Number("_n_updates") ?? 0);
    }

    private static List<KeyValuePair<string, NpyArray>> ImportOptimizer(Sb3Archive archive, Sb3Mapping mapping, Policies.PolicyBase policy,
        IReadOnlyList<string> stateDictOrder, IReadOnlyDictionary<string, object?> options)
    {
        string where = $"{archive.Path} (policy.optimizer.pth)";
        var ours = mapping.OptimizerParameters(policy);
        var sb3 = mapping.Sb3OptimizerParameters(stateDictOrder);
        var shapes = policy.StateDict().ToDictionary(p => p.Key, p => p.Value.Shape.ToArray(), StringComparer.Ordinal);
        var slots = mapping.OptimizerSlots(options);
        var result = new List<KeyValuePair<string, NpyArray>>();
        var state = archive.StateDicts.TryGetValue("policy.optimizer", out var o) && o is PyDict d && d.TryGet("state", out var s) && s is PyDict sd ? sd : new PyDict();
        if (archive.StateDicts.ContainsKey("policy.optimizer") && OptimizerParameterCount(archive) is { } count && count != sb3.Count)
            throw new ModelFormatException($"{where}: the optimizer holds {count} parameters but the policy has {sb3.Count} trainable ones ({mapping.Algorithm}).");
        long step = 0;
        var bySb3Index = new Dictionary<string, PyDict>(StringComparer.Ordinal);
        foreach (var (key, value) in state.Entries)
        {
            if (key is not long index || index < 0 || index >= sb3.Count || value is not PyDict entry)
                throw new ModelFormatException($"{where}: state entry {key} does not name one of the {sb3.Count} parameters.");
            bySb3Index[sb3[(int)index]] = entry;
            if (entry.TryGet("step", out var stepValue))
                step = Math.Max(step, stepValue switch
                {
                    long l => l,
                    double dd => (long)dd,
                    TorchTensor t => (long)t.Array.AsFloat64()[0],
                    _ => throw new ModelFormatException($"{where}: step of parameter {index} is {PickleReader.Describe(stepValue)}."),
                });
        }
        result.Add(new("policy/step", new NpyArray(new[] { (float)(step >> 24), (float)(step & 0xFFFFFF) }, 2)));
        for (int i = 0; i < ours.Count; i++)
        {
            string name = ours[i];
            var shape = shapes[name];
            foreach (var (slot, initial) in slots)
            {
                float[] values;
                if (bySb3Index.TryGetValue(name, out var entry) && entry.TryGet(slot, out var tensor))
                {
                    if (tensor is not TorchTensor t || !t.Array.Shape.SequenceEqual(shape))
                        throw new ModelFormatException($"{where}: {slot} of '{name}' has shape {Shape(tensor)}, the parameter {Tensor.FormatShape(shape)}.");
                    values = t.Array.AsFloat32();
                }
                else if (bySb3Index.ContainsKey(name))
                {
                    throw new ModelFormatException($"{where}: the state of '{name}' has no '{slot}' (has: {string.Join(", ", entry!.Entries.Select(e => e.Key))}).");
                }
                else
                {
                    values = new float[shape.Aggregate(1, (a, b) => a * b)];
                    if (initial != 0) values.AsSpan().Fill(initial);
                }
                result.Add(new($"policy/{i}.{slot}", new NpyArray(values, shape)));
            }
        }
        return result;
    }

    private static int? OptimizerParameterCount(Sb3Archive archive) =>
        archive.StateDicts["policy.optimizer"] is PyDict d && d.TryGet("param_groups", out var g) && g is List<object?> groups
            ? groups.OfType<PyDict>().Sum(group => group.TryGet("params", out var p) && p is List<object?> list ? list.Count : 0)
            : null;

    private static string Shape(object? value) => value is TorchTensor t ? Tensor.FormatShape(t.Array.Shape.ToArray()) : PickleReader.Describe(value);
}
