using System.Text.Json;
using Research.Plugins.ClassicControl;
using Research.Plugins.OffPolicy;
using Research.Plugins.OnPolicy;
using Research.Rl.Algorithms;
using Research.Rl.Interop.Sb3;
using Research.Rl.Policies;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;
using Research.Tensors;

namespace Research.Interop.Tests;

/// <summary>Models trained and saved by Stable-Baselines3 v2.4.1 itself (tools/sb3/make_interop_golden.py) predict the same here.</summary>
public sealed class Sb3ImportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("research-sb3-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static string GoldenPath(string name) => Path.Combine(AppContext.BaseDirectory, "golden", "sb3", name);

    internal static JsonElement Oracle(string name) => JsonDocument.Parse(File.ReadAllText(GoldenPath(name + ".json"))).RootElement;

    internal static float[] Rows(JsonElement json, string key) =>
        json.GetProperty(key).EnumerateArray().SelectMany(r => r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().ToArray() : new[] { r }).Select(e => (float)e.GetDouble()).ToArray();

    internal static void Close(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void Ppo_predicts_the_logits_values_and_actions_of_the_SB3_model()
    {
        var oracle = Oracle("sb3_ppo_cartpole");
        var ppo = Ppo.LoadSb3(GoldenPath("sb3_ppo_cartpole.zip"));
        var obs = Rows(oracle, "observations");
        int batch = obs.Length / 4;
        var policy = (ActorCriticPolicy)ppo.Policy;
        using (Tensor.NoGrad())
        {
            Close(Rows(oracle, "action_net"), policy.ActionParameters(policy.Preprocess(obs, batch)).ToArray(), 1e-6, "logits");
            Close(Rows(oracle, "values"), policy.PredictValues(policy.Preprocess(obs, batch)).ToArray(), 1e-6, "values");
        }
        var actions = new float[batch];
        ppo.Predict(obs, batch, actions, deterministic: true);
        Assert.Equal(Rows(oracle, "deterministic_actions"), actions);
        Assert.Equal(oracle.GetProperty("num_timesteps").GetInt64(), ppo.NumTimesteps);
        Assert.Equal(0.3, ppo.Options.ClipRange.Initial, 12);
        Assert.Equal(0.01, ppo.Options.EntCoef, 12);
        Assert.Equal(1e-3, ppo.Options.LearningRate.Initial, 12);
        Assert.Equal([32, 32], ppo.Options.PolicyKwargs.NetArch.Pi);
        Assert.Equal([16], ppo.Options.PolicyKwargs.NetArch.Vf);
    }

    [Fact]
    public void A2c_with_gaussian_actions_matches_means_log_std_and_values()
    {
        var oracle = Oracle("sb3_a2c_pendulum");
        var a2c = A2c.LoadSb3(GoldenPath("sb3_a2c_pendulum.zip"));
        var obs = Rows(oracle, "observations");
        int batch = obs.Length / 3;
        var policy = (ActorCriticPolicy)a2c.Policy;
        using (Tensor.NoGrad())
        {
            Close(Rows(oracle, "action_net"), policy.ActionParameters(policy.Preprocess(obs, batch)).ToArray(), 1e-6, "means");
            Close(Rows(oracle, "values"), policy.PredictValues(policy.Preprocess(obs, batch)).ToArray(), 1e-6, "values");
        }
        Close(Rows(oracle, "log_std"), policy.LogStd!.ToArray(), 0, "log_std");
        var actions = new float[batch];
        a2c.Predict(obs, batch, actions, deterministic: true);
        Close(Rows(oracle, "deterministic_actions"), actions, 1e-6, "actions");
        Assert.True(a2c.Options.UseRmsProp);
        Assert.Equal(0.9, a2c.Options.Gamma, 12);
    }

    [Fact]
    public void Dqn_matches_q_values_and_keeps_the_exploration_rate()
    {
        var oracle = Oracle("sb3_dqn_cartpole");
        var dqn = Dqn.LoadSb3(GoldenPath("sb3_dqn_cartpole.zip"));
        var obs = Rows(oracle, "observations");
        int batch = obs.Length / 4;
        using (Tensor.NoGrad())
            Close(Rows(oracle, "q_values"), dqn.Policy.ActionParameters(dqn.Policy.Preprocess(obs, batch)).ToArray(), 1e-6, "q");
        var actions = new float[batch];
        dqn.Predict(obs, batch, actions, deterministic: true);
        Assert.Equal(Rows(oracle, "deterministic_actions"), actions);
        Assert.Equal(0.05, dqn.ExplorationRate, 12);
        Assert.Equal(Research.Tensors.Nn.Activation.Tanh, dqn.Options.PolicyKwargs.ActivationFn);
        Assert.Equal(4, dqn.Options.TrainFreq);
        Assert.Equal(32, dqn.Options.TargetUpdateInterval);
    }

    [Theory]
    [InlineData("sb3_ppo_cartpole", "PPO")]
    [InlineData("sb3_a2c_pendulum", "A2C")]
    [InlineData("sb3_dqn_cartpole", "DQN")]
    public void Import_carries_the_optimizer_state_and_learning_continues(string name, string algorithm)
    {
        var oracle = Oracle(name);
        string ours = Path.Combine(_directory, "ours.zip");
        var result = Sb3Import.Convert(GoldenPath(name + ".zip"), ours);
        Assert.Equal(algorithm, result.Algorithm);
        var archive = ModelArchive.Read(ours, algorithm);
        var step = archive.Optimizer["policy/step"].AsFloat32();
        Assert.Equal(oracle.GetProperty("optimizer_step").GetDouble(), step[0] * (1 << 24) + step[1]);
        Assert.Contains(archive.Optimizer.Keys, k => k.EndsWith(algorithm == "A2C" ? ".square_avg" : ".exp_avg_sq", StringComparison.Ordinal));

        bool cartPole = name.Contains("cartpole", StringComparison.Ordinal);
        using var env = new SyncVectorEnv(_ => cartPole ? new TimeLimit(new CartPoleEnv(), 500) : new TimeLimit(new PendulumEnv(), 200), 1);
        AlgorithmBaseOps before = Snapshot(algorithm, ours, env);
        before.Learn(64);
        Assert.Equal(oracle.GetProperty("num_timesteps").GetInt64() + 64, before.NumTimesteps);
        Assert.True(before.WeightsChanged, "training after the import should change the weights");
    }

    private static AlgorithmBaseOps Snapshot(string algorithm, string path, IVectorEnv env) => algorithm switch
    {
        "PPO" => new(Ppo.Load(path, env)),
        "A2C" => new(A2c.Load(path, env)),
        _ => new(Dqn.Load(path, env)),
    };

    /// <summary>Learn with timesteps not reset, and whether any weight moved.</summary>
    private sealed class AlgorithmBaseOps(Research.Abstractions.Algorithms.IAlgorithm algorithm)
    {
        private readonly Dictionary<string, float[]> _before = Weights(algorithm);

        public long NumTimesteps => algorithm.NumTimesteps;

        public bool WeightsChanged => Weights(algorithm).Any(p => !p.Value.SequenceEqual(_before[p.Key]));

        public void Learn(long steps) => algorithm.Learn(steps, resetNumTimesteps: false);

        private static Dictionary<string, float[]> Weights(Research.Abstractions.Algorithms.IAlgorithm a) => a switch
        {
            Ppo p => p.GetPolicy().GetWeights(),
            A2c p => p.GetPolicy().GetWeights(),
            Dqn p => p.GetPolicy().GetWeights(),
            _ => throw new ArgumentException(a.Name),
        };
    }
}
