using Research.Abstractions.Algorithms;
using Research.Abstractions.Environments;
using Research.Abstractions.Metrics;
using Research.Plugins.ClassicControl;
using Research.Rl.Algorithms;
using Research.Rl.Callbacks;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;

namespace Research.Plugins.OffPolicy.Tests;

public class RobustnessTests
{
    /// <summary>CartPole whose rewards are NaN, to drive the loss to NaN.</summary>
    private sealed class NanReward(IEnv inner) : EnvWrapper(inner)
    {
        public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation) =>
            base.Step(action, observation) with { Reward = double.NaN };
    }

    private static DqnOptions Tiny(int seed) => new() { Seed = seed, LearningStarts = 0, TrainFreq = 1, GradientSteps = 1, BatchSize = 8 };

    [Fact]
    public void Box_actions_fail_naming_the_algorithms_that_support_them()
    {
        using var env = ClassicControlVectorEnvs.Pendulum(1);
        var e = Assert.Throws<UnsupportedSpaceException>(() => new Dqn(env, new DqnOptions()));
        Assert.StartsWith("DQN does not support the action space Box", e.Message);
        Assert.Contains("algorithms that support Box action spaces: PPO, A2C, SAC, TD3, DDPG.", e.Message);
    }

    [Fact]
    public void Nan_loss_throws_naming_algorithm_iteration_and_loss_before_updating_weights()
    {
        using var env = new SyncVectorEnv(_ => new TimeLimit(new NanReward(new CartPoleEnv()), 500), 2);
        using var dqn = new Dqn(env, new DqnOptions { Seed = 0, LearningStarts = 10, TrainFreq = 16, BatchSize = 8 });
        var before = dqn.GetPolicy().GetWeights();
        var e = Assert.Throws<NonFiniteLossException>(() => dqn.Train());
        Assert.Equal("DQN iteration 1: loss is NaN; the weights were not updated (lower the learning rate or check the rewards).", e.Message);
        var after = dqn.GetPolicy().GetWeights();
        foreach (var (name, values) in before) Assert.True(values.AsSpan().SequenceEqual(after[name]), name);
    }

    [Fact]
    public void Non_deterministic_predict_is_epsilon_greedy_with_the_current_exploration_rate()
    {
        using var env = ClassicControlVectorEnvs.CartPole(1);
        var observation = new float[] { 0.01f, -0.02f, 0.03f, 0.04f };
        var action = new float[1];

        // Before training ε is 0 (as SB3's exploration_rate), so exploring prediction is argmax Q.
        using var fresh = new Dqn(env, new DqnOptions { Seed = 0 });
        fresh.Predict(observation, action, deterministic: true);
        float greedy = action[0];
        for (int i = 0; i < 100; i++)
        {
            fresh.Predict(observation, action, deterministic: false);
            Assert.Equal(greedy, action[0]);
        }

        // With ε = 1 every exploring prediction is uniform over the actions, whatever the Q-values say.
        using var random = new Dqn(env, new DqnOptions { Seed = 0, LearningStarts = 0, ExplorationInitialEps = 1, ExplorationFinalEps = 1 });
        random.Learn(8);
        Assert.Equal(1.0, random.ExplorationRate);
        random.Predict(observation, action, deterministic: true);
        greedy = action[0];
        int greedyCount = 0;
        for (int i = 0; i < 2000; i++)
        {
            random.Predict(observation, action, deterministic: false);
            Assert.True(action[0] is 0f or 1f);
            if (action[0] == greedy) greedyCount++;
        }
        Assert.InRange(greedyCount, 900, 1100);
    }

    [Fact]
    public void Single_observation_predict_is_argmax_q_and_allocates_nothing_after_warm_up()
    {
        using var env = ClassicControlVectorEnvs.CartPole(1);
        using var dqn = new Dqn(env, new DqnOptions { Seed = 0 });
        var observation = new float[] { 0.01f, -0.02f, 0.03f, 0.04f };
        var action = new float[1];
        // Warmed past tiered compilation's first promotion (30 calls), so one-time runtime work cannot land in the measured loop.
        for (int i = 0; i < 100; i++) dqn.Predict(observation, action, deterministic: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) dqn.Predict(observation, action, deterministic: true);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        var q = dqn.QPolicy.QNet.Forward(dqn.GetPolicy().Preprocess(observation, 1)).ToArray();
        Assert.Equal(q[1] > q[0] ? 1f : 0f, action[0]);
    }

    [Fact]
    public void Gradient_updates_allocate_nothing_per_step()
    {
        long Allocated(int gradientSteps)
        {
            using var env = ClassicControlVectorEnvs.CartPole(1);
            using var dqn = new Dqn(env, Envs.ZooDqnCartPole(0) with { LearningStarts = 64, TrainFreq = 64, GradientSteps = gradientSteps });
            for (int i = 0; i < 4; i++) dqn.Train();
            long before = GC.GetAllocatedBytesForCurrentThread();
            dqn.Train();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.Equal(Allocated(2), Allocated(40));
    }

    [Fact]
    public void Hard_target_copy_happens_every_interval_over_n_envs_vector_steps()
    {
        // target_update_interval 8 with 2 envs: SB3 copies on every 4th call of _on_step (vector step), before that step's update.
        using var env = ClassicControlVectorEnvs.CartPole(2);
        using var dqn = new Dqn(env, Tiny(0) with { TargetUpdateInterval = 8, LearningRate = 1e-2 });
        var policy = dqn.QPolicy;
        for (int call = 1; call <= 12; call++)
        {
            var online = policy.QNet.StateDict().ToDictionary(p => p.Key, p => p.Value.ToArray());
            var target = policy.QNetTarget.StateDict().ToDictionary(p => p.Key, p => p.Value.ToArray());
            dqn.Train();
            var targetAfter = policy.QNetTarget.StateDict().ToDictionary(p => p.Key, p => p.Value.ToArray());
            var expected = call % 4 == 0 ? online : target;
            foreach (var (name, values) in expected) Assert.True(values.AsSpan().SequenceEqual(targetAfter[name]), $"call {call}: {name}");
            Assert.False(policy.QNet.StateDict()["q_net.0.weight"].ToArray().AsSpan().SequenceEqual(online["q_net.0.weight"]), $"call {call}: no update");
        }
    }

    [Fact]
    public void Polyak_update_moves_the_target_by_tau_in_float32()
    {
        using var env = ClassicControlVectorEnvs.CartPole(1);
        using var dqn = new Dqn(env, Tiny(0) with { LearningRate = 1e-2 });
        for (int i = 0; i < 5; i++) dqn.Train();
        var policy = dqn.QPolicy;
        var online = policy.QNet.StateDict().ToDictionary(p => p.Key, p => p.Value.ToArray());
        var target = policy.QNetTarget.StateDict().ToDictionary(p => p.Key, p => p.Value.ToArray());
        policy.UpdateTarget(0.3);
        foreach (var (name, after) in policy.QNetTarget.StateDict())
        {
            var values = after.ToArray();
            for (int k = 0; k < values.Length; k++)
                Assert.Equal(target[name][k] * 0.7f + 0.3f * online[name][k], values[k]);
        }
    }

    [Fact]
    public void Exploration_rate_falls_linearly_over_the_fraction_then_stays_final()
    {
        using var env = ClassicControlVectorEnvs.CartPole(1);
        using var dqn = new Dqn(env, new DqnOptions { Seed = 0, ExplorationFraction = 0.5, ExplorationFinalEps = 0.1, LearningStarts = 1000 });
        var seen = new Dictionary<long, double>();
        // OnStep callbacks run before the algorithm's own _on_step, so at step t they see ε set at step t − 1.
        dqn.Learn(1000, new LambdaCallback(onStep: a => { seen[a.NumTimesteps] = dqn.ExplorationRate; return true; }));
        Assert.Equal(0.0, seen[1]);
        Assert.Equal(1.0 + 0.25 * (0.1 - 1.0) / 0.5, seen[251], 12);
        Assert.Equal(0.1, seen[1000]);
        Assert.Equal(0.1, dqn.ExplorationRate);
    }

    [Fact]
    public void Minus_one_gradient_steps_trains_once_per_collected_timestep()
    {
        using var env = ClassicControlVectorEnvs.CartPole(2);
        using var dqn = new Dqn(env, Tiny(0) with { TrainFreq = 8, GradientSteps = -1 });
        var row = dqn.Train();
        Assert.Equal(16, row["info/learner/n_updates"]);
        Assert.Equal(32, dqn.Train()["info/learner/n_updates"]);
    }

    [Fact]
    public void Episode_train_frequency_collects_whole_episodes_and_needs_one_env()
    {
        using var env = ClassicControlVectorEnvs.CartPole(1);
        using var dqn = new Dqn(env, Tiny(0) with { TrainFreq = 3, TrainFreqUnit = TrainFrequencyUnit.Episode });
        var row = dqn.Train();
        Assert.Equal(3, row["episodes_this_iter"]);

        using var two = ClassicControlVectorEnvs.CartPole(2);
        var e = Assert.Throws<ArgumentException>(() => new Dqn(two, Tiny(0) with { TrainFreqUnit = TrainFrequencyUnit.Episode }));
        Assert.Contains("train_freq_unit = episode needs a single environment, got n_envs = 2", e.Message);
    }

    [Fact]
    public void Train_returns_rllib_rows_and_dumps_sb3_tags()
    {
        using var env = ClassicControlVectorEnvs.CartPole(1);
        using var dqn = new Dqn(env, new DqnOptions { Seed = 0, LearningStarts = 8, TrainFreq = 4 });
        var sink = new RecordingSink();
        dqn.MetricsSinks.Add(sink);
        dqn.Train();
        dqn.Train();
        Assert.DoesNotContain("train/loss", sink.Tags);
        var row = dqn.Train();
        Assert.Equal(12, row["timesteps_total"]);
        Assert.Equal(1, row["info/learner/n_updates"]);
        Assert.Equal(1e-4, row["info/learner/learning_rate"]);
        foreach (var tag in new[] { "rollout/exploration_rate", "train/loss", "train/learning_rate", "train/n_updates", "time/total_timesteps" })
            Assert.Contains(tag, sink.Tags);
    }

    [Fact]
    public void Optimize_memory_usage_with_timeout_handling_is_refused_as_in_sb3()
    {
        using var env = ClassicControlVectorEnvs.CartPole(1);
        var e = Assert.Throws<ArgumentException>(() => new Dqn(env, new DqnOptions { OptimizeMemoryUsage = true }));
        Assert.Contains("handle_timeout_termination", e.Message);
        using var env2 = ClassicControlVectorEnvs.CartPole(1);
        using var dqn = new Dqn(env2, Tiny(0) with { OptimizeMemoryUsage = true, ReplayBufferKwargs = new() { HandleTimeoutTermination = false } });
        for (int i = 0; i < 20; i++) dqn.Train();
        Assert.Equal(20, dqn.ReplayBuffer.Count);
    }

    [Fact]
    public void Double_q_changes_the_targets_but_not_the_collection()
    {
        // Outside Learn ε stays at its initial 1, so both runs take the same random actions and differ only in their updates.
        (Dictionary<string, float[]> Weights, double Episodes) Run(bool doubleQ)
        {
            using var env = ClassicControlVectorEnvs.CartPole(1);
            using var dqn = new Dqn(env, Tiny(0) with { DoubleQ = doubleQ, LearningStarts = 50, LearningRate = 1e-2 });
            for (int i = 0; i < 200; i++) dqn.Train();
            return (dqn.GetPolicy().GetWeights(), dqn.Episodes.EpisodesTotal);
        }
        var single = Run(false);
        var @double = Run(true);
        Assert.Equal(single.Episodes, @double.Episodes);
        Assert.False(single.Weights["q_net.q_net.0.weight"].AsSpan().SequenceEqual(@double.Weights["q_net.q_net.0.weight"]));
        Assert.All(@double.Weights.Values, w => Assert.All(w, x => Assert.True(float.IsFinite(x))));
    }

    private sealed class RecordingSink : IMetricsSink
    {
        public HashSet<string> Tags { get; } = [];

        public void RecordScalar(string tag, double value, long step) => Tags.Add(tag);

        public void RecordText(string tag, string text, long step) => Tags.Add(tag);

        public void RecordHistogram(string tag, ReadOnlySpan<float> values, long step) => Tags.Add(tag);

        public void Flush() { }

        public void Dispose() { }
    }
}
