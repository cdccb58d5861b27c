using Research.Plugins.OffPolicy;
using Research.Plugins.OnPolicy;
using Research.Rl.Algorithms;
using Research.Rl.Interop.Sb3;
using Research.Rl.Policies;
using Research.Tensors;
using Research.Tensors.Io.Pickle;
using static Research.Interop.Tests.Sb3ImportTests;

namespace Research.Interop.Tests;

/// <summary>
/// Models trained here, exported, and loaded by Stable-Baselines3 v2.4.1 itself (tools/sb3/check_interop_export.py): SB3 predicts what
/// we predict and continues training from our optimizer state; the committed export is exactly what the exporter writes today.
/// </summary>
public sealed class Sb3ExportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("research-sb3x-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("ppo_pendulum")]
    [InlineData("a2c_cartpole")]
    [InlineData("dqn_cartpole")]
    public void Export_writes_the_file_SB3_loaded(string name)
    {
        string exported = Path.Combine(_directory, name + ".sb3.zip");
        Sb3Export.Convert(GoldenPath($"ours_{name}.zip"), exported);
        Assert.Equal(File.ReadAllBytes(GoldenPath($"ours_{name}.sb3.zip")), File.ReadAllBytes(exported));
    }

    [Theory]
    [InlineData("ppo_pendulum")]
    [InlineData("a2c_cartpole")]
    [InlineData("dqn_cartpole")]
    public void SB3_predicts_what_we_predict_and_continues_from_our_optimizer(string name)
    {
        string path = GoldenPath($"ours_{name}.zip");
        switch (name)
        {
            case "ppo_pendulum": Compare(Ppo.Load(path), name, "Adam"); break;
            case "a2c_cartpole": Compare(A2c.Load(path), name, "RMSpropTFLike"); break;
            default: Compare(Dqn.Load(path), name, "Adam"); break;
        }
    }

    private static void Compare<TOptions>(AlgorithmBase<TOptions> model, string name, string optimizer) where TOptions : Research.Abstractions.Options.AlgorithmOptions
    {
        var oracle = Oracle($"ours_{name}.sb3");
        var obs = Rows(oracle, "observations");
        const int batch = 8;
        var policy = model.Policy;
        using (Tensor.NoGrad())
        {
            var outputs = policy.ActionParameters(policy.Preprocess(obs, batch)).ToArray();
            Close(Rows(oracle, policy is QNetworkPolicy ? "q_values" : "action_net"), outputs, 1e-6, "action network");
            if (policy is ActorCriticPolicy actorCritic)
                Close(Rows(oracle, "values"), actorCritic.PredictValues(actorCritic.Preprocess(obs, batch)).ToArray(), 1e-6, "values");
        }
        var actions = new float[batch * model.ActionSpace.FlatSize];
        model.Predict(obs, batch, actions, deterministic: true);
        Close(Rows(oracle, "deterministic_actions"), actions, 1e-6, "actions");

        var step = ModelArchive.Read(GoldenPath($"ours_{name}.zip"), model.Name).Optimizer["policy/step"].AsFloat32();
        double ourStep = step[0] * (1 << 24) + step[1];
        Assert.Equal(ourStep, oracle.GetProperty("optimizer_step").GetDouble());
        Assert.True(oracle.GetProperty("optimizer_step_after_learn").GetDouble() > ourStep, "SB3's learn continued the exported optimizer");
        Assert.Equal(model.NumTimesteps, oracle.GetProperty("num_timesteps").GetInt64());
        Assert.Equal(optimizer, oracle.GetProperty("optimizer").GetString());
    }

    [Theory]
    [InlineData("sb3_ppo_cartpole")]
    [InlineData("sb3_a2c_pendulum")]
    [InlineData("sb3_dqn_cartpole")]
    public void An_SB3_model_imported_and_exported_keeps_every_weight_and_optimizer_value(string name)
    {
        string ours = Path.Combine(_directory, "ours.zip"), back = Path.Combine(_directory, "back.zip");
        Sb3Import.Convert(GoldenPath(name + ".zip"), ours);
        Sb3Export.Convert(ours, back);
        var original = Sb3Archive.Read(GoldenPath(name + ".zip"));
        var again = Sb3Archive.Read(back);
        var before = original.StateDict("policy").ToDictionary(p => p.Key, p => p.Value.Array.AsFloat32());
        var after = again.StateDict("policy").ToDictionary(p => p.Key, p => p.Value.Array.AsFloat32());
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (key, values) in before) Assert.Equal(values, after[key]);
        Assert.Equal(Slots(original), Slots(again));
    }

    private static SortedDictionary<string, float[]> Slots(Sb3Archive archive)
    {
        var result = new SortedDictionary<string, float[]>(StringComparer.Ordinal);
        var state = (PyDict)((PyDict)archive.StateDicts["policy.optimizer"]!).Entries.Single(e => Equals(e.Key, "state")).Value!;
        foreach (var (index, entry) in state.Entries)
            foreach (var (slot, value) in ((PyDict)entry!).Entries)
                if (value is TorchTensor t && (string)slot! != "step") result[$"{index}.{slot}"] = t.Array.AsFloat32();
        return result;
    }
}
