using System.Text.Json;
using Research.Rl.Buffers;
using Research.Rl.Callbacks;
using Research.Rl.Policies;
using Research.Tensors.Nn;

namespace Research.Plugins.OffPolicy.Tests;

/// <summary>DQN's update against Stable-Baselines3's own <c>DQN.train</c> on the same weights and batches (tools/sb3/make_dqn_golden.py).</summary>
public class Sb3OracleTests
{
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
        var initial = Golden.From(root.GetProperty("initial_q_net"));
        var weights = new Dictionary<string, float[]>();
        foreach (var name in initial.Names)
        {
            weights[name] = initial.Data(name);
            weights["q_net_target" + name["q_net".Length..]] = initial.Data(name);
        }
        dqn.GetPolicy().SetWeights(weights);

        var batches = root.GetProperty("batches").EnumerateArray().Select(Golden.From).ToList();
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
            source.Data("observations").CopyTo(batch.Observations, 0);
            source.Data("next_observations").CopyTo(batch.NextObservations, 0);
            source.Data("actions").CopyTo(batch.Actions, 0);
            source.Data("rewards").CopyTo(batch.Rewards, 0);
            source.Data("dones").CopyTo(batch.Dones, 0);
            float loss = dqn.GradientStep(batch);
            Assert.True(Math.Abs(loss - losses[step]) <= 1e-5 * Math.Max(1, Math.Abs(losses[step])), $"step {step}: loss {loss}, SB3 {losses[step]}");
        }

        var actual = dqn.GetPolicy().GetWeights();
        var expected = Golden.From(root.GetProperty("final"));
        Assert.Equal(expected.Names.Order(), actual.Keys.Order());
        foreach (var name in expected.Names) Golden.AssertClose(name, expected.Data(name), actual[name]);
    }

    [Fact]
    public void Training_target_updates_and_exploration_follow_stable_baselines3s_schedule()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "golden", "sb3_dqn_schedule.json")));
        var root = document.RootElement;
        var settings = root.GetProperty("settings");
        int Setting(string key) => settings.GetProperty(key).GetInt32();
        double Real(string key) => settings.GetProperty(key).GetDouble();
        using var env = ClassicControlVectorEnvs.CartPole(root.GetProperty("n_envs").GetInt32());
        using var dqn = new Dqn(env, new DqnOptions
        {
            Seed = 0,
            LearningStarts = Setting("learning_starts"),
            TrainFreq = Setting("train_freq"),
            GradientSteps = Setting("gradient_steps"),
            TargetUpdateInterval = Setting("target_update_interval"),
            Tau = Real("tau"),
            ExplorationFraction = Real("exploration_fraction"),
            ExplorationInitialEps = Real("exploration_initial_eps"),
            ExplorationFinalEps = Real("exploration_final_eps"),
            BatchSize = Setting("batch_size"),
            PolicyKwargs = new PolicyOptions { ActivationFn = Activation.Relu, NetArch = new NetArchOptions { Qf = [8] } },
        });

        var exploration = new List<(long, double)>();
        var trains = new List<(long, long)>();
        var targetUpdates = new List<long>();
        long lastUpdates = 0, previousTimesteps = 0;
        float[] target = dqn.QPolicy.QNetTarget.Parameters()[0].ToArray();
        // A target update is seen as a change of the target weights at the next step (the update runs after the callback).
        void DetectTargetUpdate()
        {
            var now = dqn.QPolicy.QNetTarget.Parameters()[0].ToArray();
            if (!now.AsSpan().SequenceEqual(target)) targetUpdates.Add(previousTimesteps);
            target = now;
        }
        dqn.Learn(root.GetProperty("total_timesteps").GetInt32(), new LambdaCallback(
            onStep: _ =>
            {
                DetectTargetUpdate();
                previousTimesteps = dqn.NumTimesteps;
                exploration.Add((dqn.NumTimesteps, dqn.ExplorationRate));
                return true;
            },
            onIterationEnd: (_, row) =>
            {
                long updates = row.TryGetValue("info/learner/n_updates", out double n) ? (long)n : lastUpdates;
                if (updates != lastUpdates) trains.Add((dqn.NumTimesteps, updates - lastUpdates));
                lastUpdates = updates;
                return true;
            },
            onTrainingEnd: _ => DetectTargetUpdate()));

        var expectedExploration = root.GetProperty("exploration").EnumerateArray().Select(e => (e[0].GetInt64(), e[1].GetDouble())).ToList();
        Assert.Equal(expectedExploration.Count, exploration.Count);
        for (int k = 0; k < exploration.Count; k++)
        {
            Assert.Equal(expectedExploration[k].Item1, exploration[k].Item1);
            Assert.True(Math.Abs(expectedExploration[k].Item2 - exploration[k].Item2) < 1e-12, $"ε at {exploration[k].Item1}: SB3 {expectedExploration[k].Item2}, ours {exploration[k].Item2}");
        }
        Assert.Equal(root.GetProperty("trains").EnumerateArray().Select(e => (e[0].GetInt64(), e[1].GetInt64())), trains);
        // Before the first gradient step the online and target networks are equal, so an update cannot be seen.
        long firstTrain = trains[0].Item1;
        Assert.Equal(root.GetProperty("target_updates").EnumerateArray().Select(e => e.GetInt64()).Where(t => t >= firstTrain), targetUpdates);
    }
}
