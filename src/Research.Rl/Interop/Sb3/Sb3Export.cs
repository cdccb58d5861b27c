using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Abstractions.Spaces;
using Research.Rl.Algorithms;
using Research.Tensors.Io;
using Research.Tensors.Io.Pickle;

namespace Research.Rl.Interop.Sb3;

/// <summary>
/// Writes one of this project's model files (PPO, A2C, DQN) as a Stable-Baselines3 v2.x model file that <c>PPO.load</c> (etc.) accepts:
/// <c>data</c> with the options SB3 reads, pickled calls of the Gymnasium space constructors and of SB3's classes (what SB3's own
/// files hold; Python runs them on load), <c>policy.pth</c>, <c>policy.optimizer.pth</c> (so <c>learn</c> continues),
/// <c>pytorch_variables.pth</c> and the version record.
/// </summary>
public static class Sb3Export
{
    /// <summary>The Stable-Baselines3 version written into exported files (the version the export is checked against).</summary>
    public const string Sb3Version = "2.4.1";

    /// <summary>Converts our model <paramref name="modelPath"/> into an SB3 model at <paramref name="outputPath"/> (atomically); returns notes on what SB3 cannot hold.</summary>
    public static IReadOnlyList<string> Convert(string modelPath, string outputPath)
    {
        var header = ModelArchive.ReadData(modelPath);
        string algorithm = header.TryGetProperty("algorithm", out var a) ? a.GetString() ?? "" : "";
        var mapping = Sb3Mapping.For(algorithm, modelPath);
        var archive = ModelArchive.Read(modelPath, mapping.Algorithm);
        var notes = new List<string>();
        if (archive.Normalizer is not null)
            notes.Add("observation normalization statistics are not part of an SB3 model file (SB3 keeps them in VecNormalize's own pickle); the exported policy expects normalized observations");
        var options = archive.Property("options");
        if (options.TryGetProperty("double_q", out var doubleQ) && doubleQ.ValueKind == JsonValueKind.True)
            notes.Add("double_q has no Stable-Baselines3 equivalent; SB3 will train plain DQN");
        var observation = SpaceJson.FromJson(archive.Property("observation_space"), modelPath);
        var action = SpaceJson.FromJson(archive.Property("action_space"), modelPath);
        var optionMap = options.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);
        var policy = mapping.CreatePolicy(observation, action, optionMap);

        var stateDict = mapping.ExportPolicy(archive.Policy, policy);
        var sb3Order = mapping.Sb3OptimizerParameters(stateDict.Select(p => p.Key).ToList());
        var ourOrder = mapping.OptimizerParameters(policy);
        var order = sb3Order.Select(name =>
        {
            int index = ourOrder.ToList().IndexOf(name);
            return index >= 0 ? (name, index) : throw new ModelFormatException($"{modelPath}: parameter '{name}' is not in the optimizer.");
        }).ToList();
        var optimizer = mapping.ExportOptimizer(order, archive.Optimizer, Sb3Mapping.Step(archive.Optimizer), options);

        var data = new JsonObject
        {
            ["policy_class"] = Sb3Data.Serialized("<class 'abc.ABCMeta'>", mapping.PolicyClass),
        };
        data["policy_class"]!["__module__"] = mapping.PolicyClass.Module;
        foreach (var (key, value) in mapping.ExportData(options, policy)) data[key] = value?.DeepClone();
        long timesteps = archive.Property("num_timesteps").GetInt64();
        data["num_timesteps"] = timesteps;
        data["_total_timesteps"] = timesteps;
        data["_num_timesteps_at_start"] = 0;
        data["action_noise"] = null;
        data["start_time"] = 0;
        data["tensorboard_log"] = null;
        data["_last_obs"] = null;
        data["_last_episode_starts"] = null;
        data["_last_original_obs"] = null;
        data["_episode_num"] = 0;
        data["_current_progress_remaining"] = 1.0;
        data["_stats_window_size"] = 100;
        data["ep_info_buffer"] = null;
        data["ep_success_buffer"] = null;
        data["_n_updates"] = 0;
        data["observation_space"] = Sb3Spaces.Write(observation);
        data["action_space"] = Sb3Spaces.Write(action);
        if (archive.Data.TryGetProperty("exploration_rate", out var epsilon)) data["exploration_rate"] = epsilon.GetDouble();

        WriteZip(outputPath, data, stateDict, optimizer);
        return notes;
    }

    private static void WriteZip(string outputPath, JsonObject data, List<KeyValuePair<string, NpyArray>> stateDict, PyDict optimizer) =>
        Research.Storage.AtomicFile.Write(outputPath, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            Entry(zip, "data", Encoding.UTF8.GetBytes(data.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
            Entry(zip, "pytorch_variables.pth", Torch(new PyDict()));
            Entry(zip, "policy.pth", Torch(TorchFile.StateDict(stateDict.Select(p => new KeyValuePair<string, TorchTensor>(p.Key, new TorchTensor(p.Value))))));
            Entry(zip, "policy.optimizer.pth", Torch(optimizer));
            Entry(zip, "_stable_baselines3_version", Encoding.ASCII.GetBytes(Sb3Version));
            Entry(zip, "system_info.txt", Encoding.UTF8.GetBytes($"- Exported by: Research\n- Stable-Baselines3: {Sb3Version}\n"));
        });

    private static byte[] Torch(object value)
    {
        using var buffer = new MemoryStream();
        TorchFile.Write(buffer, value);
        return buffer.ToArray();
    }

    private static void Entry(ZipArchive zip, string name, byte[] bytes)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = TorchFile.EntryTime;
        using var stream = entry.Open();
        stream.Write(bytes);
    }
}
