using Research.Abstractions.Environments;
using Research.Abstractions.Metrics;
using Research.Abstractions.Options;
using Research.Abstractions.Spaces;
using Research.Plugins.ClassicControl;
using Research.Rl.Algorithms;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;
using Research.Tensors.Nn;

namespace Research.Plugins.OffPolicy.Tests;

/// <summary>Errors, the NaN guard, allocation, logging and exploration details of SAC, TD3 and DDPG.</summary>
public class ContinuousRobustnessTests
{
    /// <summary>Pendulum whose rewards are NaN, to drive the critic's loss to NaN.</summary>
    private sealed class NanReward(IEnv inner) : EnvWrapper(inner)
    {
        public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation) =>
            base.Step(action, observation) with { Reward = double.NaN };
    }

    [Fact]
    public void Discrete_actions_fail_naming_the_algorithms_that_support_them()
    {
        using var env = ClassicControlVectorEnvs.CartPole(1);
        var e = Assert.Throws<UnsupportedSpaceException>(() => new Sac(env, new SacOptions()));
        Assert.Equal("SAC does not support the action space Discrete(2) (Discrete); algorithms that support Discrete action spaces: PPO, A2C, DQN.", e.Message);
        Assert.StartsWith("TD3 does not support", Assert.Throws<UnsupportedSpaceException>(() => new Td3(env, new Td3Options())).Message);
        Assert.StartsWith("DDPG does not support", Assert.Throws<UnsupportedSpaceException>(() => new Ddpg(env, new DdpgOptions())).Message);
    }

    [Fact]
    public void An_unbounded_box_is_refused_because_actions_are_squashed_into_the_bounds()
    {
        using var env = new SyncVectorEnv(_ => new UnboundedActions(), 1);
        var e = Assert.Throws<UnsupportedSpaceException>(() => new Td3(env, new Td3Options()));
        Assert.Contains("TD3 squashes actions into the action space's bounds", e.Message);
    }

    [Theory]
    [InlineData("auto_x")]
    [InlineData("auto_-1")]
    [InlineData("autox")]
    [InlineData("-0.5")]
    public void A_bad_ent_coef_fails_naming_the_option(string value)
    {
        using var env = ClassicControlVectorEnvs.Pendulum(1);
        var e = Assert.Throws<OptionsException>(() => new Sac(env, new SacOptions { EntCoef = value }));
        Assert.StartsWith($"option 'ent_coef' for SAC: '{value}' is not valid", e.Message);
    }

    [Fact]
    public void Ent_coef_spellings_set_alpha_and_whether_it_is_learned()
    {
        using var env = ClassicControlVectorEnvs.Pendulum(1);
        using var auto = new Sac(env, new SacOptions { EntCoef = "auto_0.1" });
        Assert.Equal(0.1, auto.EntCoef, 6);
        Assert.Equal(-1.0, auto.TargetEntropy);
        using var constant = new Sac(env, new SacOptions { EntCoef = "0.2", TargetEntropy = "-3.5" });
        Assert.Equal(0.2, constant.EntCoef, 6);
        Assert.Equal(-3.5, constant.TargetEntropy);
    }

    [Fact]
    public void Policy_delay_zero_is_out_of_range()
    {
        var e = Assert.Throws<OptionsException>(() => OptionsBinder.Bind<Td3Options>(new Dictionary<string, object?> { ["policy_delay"] = 0 }, "TD3"));
        Assert.Contains("option 'policy_delay' for TD3: 0 is out of range [1, inf]", e.Message);
    }

    [Fact]
    public void Zoo_noise_spelling_binds_to_the_noise_type()
    {
        var options = OptionsBinder.Bind<Td3Options>(new Dictionary<string, object?> { ["noise_type"] = "ornstein-uhlenbeck", ["noise_std"] = 0.5 }, "TD3");
        Assert.Equal(ActionNoiseType.OrnsteinUhlenbeck, options.NoiseType);
        Assert.Equal(0.5, options.NoiseStd);
        var ddpg = OptionsBinder.Bind<DdpgOptions>(new Dictionary<string, object?> { ["param_noise"] = new Dictionary<string, object?> { ["initial_stddev"] = 0.2 } }, "DDPG");
        Assert.Equal(0.2, ddpg.ParamNoise!.InitialStddev);
        Assert.Equal(0.1, ddpg.ParamNoise.DesiredActionStddev);
        Assert.Null(new DdpgOptions().ParamNoise);
    }

    [Theory]
    [InlineData("SAC")]
    [InlineData("TD3")]
    public void A_nan_critic_loss_stops_training_naming_the_iteration_and_the_loss_before_any_update(string name)
    {
        using var env = new SyncVectorEnv(_ => new TimeLimit(new NanReward(new PendulumEnv()), 200), 1);
        using var algorithm = name == "SAC"
            ? (Research.Abstractions.Algorithms.IAlgorithm)new Sac(env, new SacOptions { Seed = 0, LearningStarts = 10, TrainFreq = 16, BatchSize = 8 })
            : new Td3(env, new Td3Options { Seed = 0, LearningStarts = 10, TrainFreq = 16, BatchSize = 8 });
        var policy = algorithm is Sac s ? s.GetPolicy() : ((Td3)algorithm).GetPolicy();
        var before = policy.GetWeights();
        double alpha = algorithm is Sac sac ? sac.EntCoef : 0;
        var e = Assert.Throws<NonFiniteLossException>(() => algorithm.Train());
        Assert.Equal($"{name} iteration 1: critic_loss is NaN; the weights were not updated (lower the learning rate or check the rewards).", e.Message);
        WeightAssert.Same(before, policy.GetWeights());
        if (algorithm is Sac after) Assert.Equal(alpha, after.EntCoef);
    }

    [Theory]
    [InlineData("SAC")]
    [InlineData("SAC-sde")]
    [InlineData("TD3")]
    public void Single_observation_predict_allocates_nothing_after_warm_up(string name)
    {
        using var env = ClassicControlVectorEnvs.Pendulum(1);
        using var algorithm = name == "TD3"
            ? (Research.Abstractions.Algorithms.IAlgorithm)new Td3(env, new Td3Options { Seed = 0 })
            : new Sac(env, new SacOptions { Seed = 0, UseSde = name == "SAC-sde" });
        var observation = new float[] { 0.5f, -0.8f, 1.2f };
        var action = new float[1];
        for (int i = 0; i < 100; i++)
        {
            algorithm.Predict(observation, action, deterministic: true);
            algorithm.Predict(observation, action, deterministic: false);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            algorithm.Predict(observation, action, deterministic: true);
            algorithm.Predict(observation, action, deterministic: false);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.InRange(action[0], -2f, 2f);
    }

    [Theory]
    [InlineData("SAC")]
    [InlineData("TD3")]
    [InlineData("DDPG")]
    public void Gradient_updates_allocate_nothing_per_step(string name)
    {
        long Allocated(int gradientSteps)
        {
            using var env = BoxEnv.Vector(2);
            using var algorithm = Create(name, gradientSteps);
            for (int i = 0; i < 4; i++) algorithm.Train();
            long before = GC.GetAllocatedBytesForCurrentThread();
            algorithm.Train();
            return GC.GetAllocatedBytesForCurrentThread() - before;

            Research.Abstractions.Algorithms.IAlgorithm Create(string algo, int steps) => algo switch
            {
                "SAC" => new Sac(env, ContinuousPersistenceTests.SmallSac(0) with { TrainFreq = 16, GradientSteps = steps }),
                "TD3" => new Td3(env, ContinuousPersistenceTests.SmallTd3(0) with { TrainFreq = 16, GradientSteps = steps }),
                _ => new Ddpg(env, ContinuousPersistenceTests.SmallDdpg(0) with { TrainFreq = 16, GradientSteps = steps, ParamNoiseAdaptionInterval = 1 }),
            };
        }
        Assert.Equal(Allocated(2), Allocated(30));
    }

    [Fact]
    public void Sac_logs_sb3s_tags_and_rllib_rows()
    {
        using var env = BoxEnv.Vector(2);
        using var sac = new Sac(env, ContinuousPersistenceTests.SmallSac(0));
        var sink = new RecordingSink();
        sac.MetricsSinks.Add(sink);
        Research.Abstractions.Algorithms.ResultRow row = null!;
        for (int i = 0; i < 4; i++) row = sac.Train();
        foreach (var tag in new[] { "train/actor_loss", "train/critic_loss", "train/ent_coef", "train/ent_coef_loss", "train/std", "train/n_updates", "train/learning_rate", "rollout/ep_rew_mean" })
            Assert.Contains(tag, sink.Tags);
        // α starts at 1 and moves with the gap between the policy's entropy and the target.
        Assert.InRange(row["info/learner/ent_coef"], 0.5, 1.5);
        Assert.Equal(2 * 4, row["info/learner/n_updates"]); // updates start once 40 timesteps are collected: iterations 3 and 4
    }

    [Fact]
    public void Ddpg_with_parameter_noise_logs_its_stddev_and_adapts_it()
    {
        using var env = BoxEnv.Vector(2);
        using var ddpg = new Ddpg(env, ContinuousPersistenceTests.SmallDdpg(0) with { NoiseType = ActionNoiseType.None });
        var sink = new RecordingSink();
        ddpg.MetricsSinks.Add(sink);
        for (int i = 0; i < 8; i++) ddpg.Train();
        Assert.Contains("train/param_noise_stddev", sink.Tags);
        Assert.Contains("train/param_noise_distance", sink.Tags);
        double sigma = ddpg.ParameterNoise!.Spec.CurrentStddev;
        // Every adaptation multiplies or divides σ by 1.01 from 0.2, so σ = 0.2·1.01^k for an integer k.
        double k = Math.Log(sigma / 0.2) / Math.Log(1.01);
        Assert.NotEqual(0.2, sigma);
        Assert.Equal(Math.Round(k), k, 6);
    }

    [Fact]
    public void Td3_predict_is_the_actors_action_whether_or_not_deterministic()
    {
        using var env = ClassicControlVectorEnvs.Pendulum(1);
        using var td3 = new Td3(env, new Td3Options { Seed = 0, NoiseType = ActionNoiseType.Normal });
        var observation = new float[] { 0.5f, -0.8f, 1.2f };
        float[] a = new float[1], b = new float[1];
        td3.Predict(observation, a, deterministic: true);
        td3.Predict(observation, b, deterministic: false);
        Assert.Equal(a, b);
    }

    private sealed class UnboundedActions : IEnv
    {
        public Space ObservationSpace { get; } = new Box(-1, 1, [2]);
        public Space ActionSpace { get; } = new Box(float.NegativeInfinity, float.PositiveInfinity, [1]);
        public IReadOnlyDictionary<string, object> Info { get; } = new Dictionary<string, object>();
        public void Reset(Span<float> observation, int? seed = null) => observation.Clear();
        public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation) => new(0, false, false);
        public RgbFrame Render() => new(1, 1);
        public void Dispose() { }
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
