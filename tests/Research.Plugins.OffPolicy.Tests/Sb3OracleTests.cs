using System.Text.Json;
using Research.Rl.Buffers;
using Research.Rl.Policies;
using Research.Tensors.Nn;

namespace Research.Plugins.OffPolicy.Tests;

/// <summary>DQN's update against Stable-Baselines3's own <c>DQN.train</c> on the same weights and batches (tools/sb3/make_dqn_golden.py).</summary>
public class Sb3OracleTests
{
    private sealed record Array(int[] Shape, float[] Data);

    [Fact]
    public void Gradient_steps_and_target_update_match_stable_baselines3()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "golden", "sb3_dqn_update.json")));
        var root = document.RootElement;
        var settings = root.GetProperty("settings");
        int batchSize = settings.GetProperty("batch_size").GetInt32();
        using var env = ClassicControlVectorEnvs.CartPole(1);
        using var dqn = new Dqn(env, new DqnOptions
        {
            Seed = 0,
            BatchSize = batchSize,
            LearningRate = settings.GetProperty("learning_rate").GetDouble(),
            Gamma = settings.GetProperty("gamma").GetDouble(),
            MaxGradNorm = settings.GetProperty("max_grad_norm").GetDouble(),
            PolicyKwargs = new PolicyOptions { ActivationFn = Activation.Relu, NetArch = new NetArchOptions { Qf = [16, 16] } },
        });

        // SB3 starts the target as a copy of the online network.
        var initial = Arrays(root.GetProperty("initial_q_net"));
        var weights = new Dictionary<string, float[]>();
        foreach (var (name, value) in initial)
        {
            weights[name] = value.Data;
            weights["q_net_target" + name["q_net".Length..]] = value.Data;
        }
        dqn.GetPolicy().SetWeights(weights);

        var batches = root.GetProperty("batches").EnumerateArray().Select(Arrays).ToList();
        var losses = root.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToList();
        // The fixture must exercise gradient clipping and Huber's linear zone, not only the quadratic one.
        Assert.Contains(root.GetProperty("grad_norms_before_clipping").EnumerateArray(), n => n.GetDouble() > dqn.Options.MaxGradNorm);
        Assert.Contains(losses, l => l > 1);
        int before = settings.GetProperty("steps_before_target_update").GetInt32();
        var batch = new ReplayBatch(batchSize, 4, 1);
        for (int step = 0; step < batches.Count; step++)
        {
            if (step == before) dqn.QPolicy.UpdateTarget(settings.GetProperty("tau").GetDouble());
            var source = batches[step];
            source["observations"].Data.CopyTo(batch.Observations, 0);
            source["next_observations"].Data.CopyTo(batch.NextObservations, 0);
            source["actions"].Data.CopyTo(batch.Actions, 0);
            source["rewards"].Data.CopyTo(batch.Rewards, 0);
            source["dones"].Data.CopyTo(batch.Dones, 0);
            float loss = dqn.GradientStep(batch);
            Assert.True(Math.Abs(loss - losses[step]) <= 1e-5 * Math.Max(1, Math.Abs(losses[step])), $"step {step}: loss {loss}, SB3 {losses[step]}");
        }

        var actual = dqn.GetPolicy().GetWeights();
        var expected = Arrays(root.GetProperty("final"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, value) in expected)
        {
            double scale = value.Data.Max(v => Math.Abs((double)v));
            for (int k = 0; k < value.Data.Length; k++)
                Assert.True(Math.Abs(value.Data[k] - actual[name][k]) <= 1e-5 * scale, $"{name}[{k}]: SB3 {value.Data[k]}, ours {actual[name][k]}");
        }
    }

    private static Dictionary<string, Array> Arrays(JsonElement element) =>
        element.EnumerateObject().ToDictionary(
            p => p.Name,
            p => new Array(
                p.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                p.Value.GetProperty("data").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray()));
}
