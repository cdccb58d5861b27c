using Research.Abstractions.Environments;
using Research.Plugins.ClassicControl;
using Research.Rl.Algorithms;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;

namespace Research.Plugins.OnPolicy.Tests;

public class RobustnessTests
{
    /// <summary>CartPole whose rewards are NaN, to drive the losses to NaN.</summary>
    private sealed class NanReward(IEnv inner) : EnvWrapper(inner)
    {
        public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation) =>
            base.Step(action, observation) with { Reward = double.NaN };
    }

    [Fact]
    public void Nan_loss_throws_naming_algorithm_iteration_and_loss_before_updating_weights()
    {
        using var env = new SyncVectorEnv(_ => new TimeLimit(new NanReward(new CartPoleEnv()), 500), 2);
        using var ppo = new Ppo(env, new PpoOptions { Seed = 0, NSteps = 16, BatchSize = 16, NEpochs = 1 });
        var before = ppo.GetPolicy().GetWeights();
        var e = Assert.Throws<NonFiniteLossException>(() => ppo.Train());
        Assert.StartsWith("PPO iteration 1: ", e.Message);
        Assert.Contains("is NaN", e.Message);
        var after = ppo.GetPolicy().GetWeights();
        foreach (var (name, values) in before) Assert.True(values.AsSpan().SequenceEqual(after[name]), name);
    }

    [Fact]
    public void Huge_learning_rate_in_a2c_is_caught_as_a_non_finite_loss()
    {
        using var env = ClassicControlVectorEnvs.Pendulum(2);
        using var a2c = new A2c(env, new A2cOptions { Seed = 0, LearningRate = 1e30, MaxGradNorm = 1e30 });
        var e = Assert.Throws<NonFiniteLossException>(() => { for (int i = 0; i < 50; i++) a2c.Train(); });
        Assert.Matches(@"^A2C iteration \d+: \w+_loss is (NaN|\+inf|-inf)", e.Message);
    }

    [Fact]
    public void Single_observation_predict_allocates_nothing_after_warm_up()
    {
        using var env = ClassicControlVectorEnvs.CartPole(1);
        using var ppo = new Ppo(env, new PpoOptions { Seed = 0 });
        using var pendulumEnv = ClassicControlVectorEnvs.Pendulum(1);
        using var continuous = new Ppo(pendulumEnv, new PpoOptions { Seed = 0 });
        var observation = new float[] { 0.01f, -0.02f, 0.03f, 0.04f };
        var action = new float[1];
        var pendulumObservation = new float[] { 1f, 0f, 0.5f };
        for (int i = 0; i < 10; i++)
        {
            ppo.Predict(observation, action, deterministic: i % 2 == 0);
            continuous.Predict(pendulumObservation, action, deterministic: i % 2 == 0);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            ppo.Predict(observation, action, deterministic: i % 2 == 0);
            continuous.Predict(pendulumObservation, action, deterministic: i % 2 == 0);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.InRange(action[0], -2f, 2f);
    }

    [Fact]
    public void Box_actions_are_clipped_to_bounds_and_probabilities_have_mean_and_std()
    {
        using var env = ClassicControlVectorEnvs.Pendulum(1);
        using var ppo = new Ppo(env, new PpoOptions { Seed = 0, PolicyKwargs = new() { LogStdInit = 3 } });
        var observation = new float[] { 1f, 0f, 0.5f };
        var action = new float[1];
        for (int i = 0; i < 100; i++)
        {
            ppo.Predict(observation, action);
            Assert.InRange(action[0], -2f, 2f);
        }
        var probabilities = ppo.ActionProbability(observation);
        Assert.Equal(2, probabilities.Length);
        Assert.Equal(MathF.Exp(3), probabilities[1], 4);
    }

    [Fact]
    public void Discrete_probabilities_sum_to_one_and_compute_action_is_valid()
    {
        using var env = ClassicControlVectorEnvs.CartPole(1);
        using var ppo = new Ppo(env, new PpoOptions { Seed = 0 });
        var probabilities = ppo.ActionProbability(new float[] { 0, 0, 0, 0, 0.1f, 0.2f, 0.3f, 0.4f }, 2);
        Assert.Equal(4, probabilities.Length);
        Assert.Equal(1f, probabilities[0] + probabilities[1], 5);
        Assert.Equal(1f, probabilities[2] + probabilities[3], 5);
        Assert.Contains(ppo.ComputeAction(new float[4])[0], new[] { 0f, 1f });
    }

    [Fact]
    public void Train_returns_rllib_rows_and_dumps_sb3_tags()
    {
        using var env = ClassicControlVectorEnvs.CartPole(4);
        using var ppo = new Ppo(env, Envs.ZooPpoCartPole(0) with { NEnvs = 4, TotalTimesteps = 100_000 });
        var sink = new RecordingSink();
        ppo.MetricsSinks.Add(sink);
        ResultRowCheck(ppo.Train(), 1, 128);
        var row = ppo.Train();
        ResultRowCheck(row, 2, 256);
        foreach (var tag in new[] { "rollout/ep_rew_mean", "rollout/ep_len_mean", "time/fps", "time/iterations", "time/total_timesteps",
                     "train/entropy_loss", "train/policy_gradient_loss", "train/value_loss", "train/approx_kl", "train/clip_fraction",
                     "train/loss", "train/explained_variance", "train/clip_range", "train/learning_rate", "train/n_updates" })
            Assert.Contains(tag, sink.Tags);
        Assert.Equal(40, row["info/learner/n_updates"]);
        Assert.True(row["episodes_total"] > 0);
        // Without Learn, fps counts from the first Train(): at most the steps over the time the iterations took.
        Assert.InRange(sink.Last["time/fps"], 1, 256 / row["time_total_s"]);
    }

    [Fact]
    public void Weight_histograms_are_logged_every_histogram_frequency_iterations()
    {
        using var env = ClassicControlVectorEnvs.CartPole(4);
        using var ppo = new Ppo(env, Envs.ZooPpoCartPole(0) with { NEnvs = 4, HistogramFrequency = 2, TotalTimesteps = 100_000 });
        var sink = new RecordingSink();
        ppo.MetricsSinks.Add(sink);
        for (int i = 0; i < 4; i++) ppo.Train();

        var parameters = ppo.GetPolicy().NamedParameters().ToList();
        Assert.Equal(2 * parameters.Count, sink.Histograms.Count);
        Assert.Equal([256L, 512L], sink.Histograms.Select(h => h.Step).Distinct());
        var (name, weights) = parameters[0];
        Assert.Contains(sink.Histograms, h => h.Tag == "weights/" + name && h.Count == weights.Count);
    }

    private static void ResultRowCheck(Abstractions.Algorithms.ResultRow row, int iteration, int timesteps)
    {
        Assert.Equal(iteration, row["training_iteration"]);
        Assert.Equal(timesteps, row["timesteps_total"]);
        Assert.True(row.ContainsKey("episode_reward_mean") && row.ContainsKey("time_this_iter_s") && row.ContainsKey("info/learner/value_loss"));
    }

    private sealed class RecordingSink : Abstractions.Metrics.IMetricsSink
    {
        public HashSet<string> Tags { get; } = [];
        public Dictionary<string, double> Last { get; } = [];
        public List<(string Tag, int Count, long Step)> Histograms { get; } = [];
        public void RecordScalar(string tag, double value, long step)
        {
            Tags.Add(tag);
            Last[tag] = value;
        }
        public void RecordText(string tag, string text, long step) => Tags.Add(tag);
        public void RecordHistogram(string tag, ReadOnlySpan<float> values, long step)
        {
            Tags.Add(tag);
            Histograms.Add((tag, values.Length, step));
        }
        public void Flush() { }
        public void Dispose() { }
    }

    [Fact]
    public void Learn_stops_when_a_callback_says_so_and_counts_steps()
    {
        using var env = ClassicControlVectorEnvs.CartPole(2);
        using var ppo = new Ppo(env, new PpoOptions { Seed = 0, NSteps = 16, BatchSize = 32 });
        int calls = 0;
        ppo.Learn(10_000, new Rl.Callbacks.LambdaCallback(onStep: _ => ++calls < 5));
        Assert.Equal(5, calls);
        Assert.Equal(10, ppo.NumTimesteps);
        Assert.Equal(0, ppo.Iteration);
    }
}
