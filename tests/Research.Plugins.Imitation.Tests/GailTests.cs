using Research.Abstractions.Options;
using Research.Plugins.OnPolicy;
using Research.Rl.Evaluation;
using Research.Rl.Imitation;

namespace Research.Plugins.Imitation.Tests;

public class GailTests
{
    /// <summary>The zoo's PPO CartPole-v1 settings as the generator.</summary>
    private static GailOptions CartPole(int seed) => new()
    {
        Seed = seed,
        NEnvs = 8,
        TotalTimesteps = 50_000,
        ExpertPath = ExpertData.CartPole,
        Ppo = new PpoOptions
        {
            NSteps = 32,
            BatchSize = 256,
            GaeLambda = 0.8,
            Gamma = 0.98,
            NEpochs = 10,
            LearningRate = Schedule.Linear(1e-3),
            ClipRange = Schedule.Linear(0.2),
        },
    };

    [Fact]
    public void Gail_learns_cartpole_from_the_pid_expert()
    {
        using var env = ExpertData.CartPoleVec(8);
        using var gail = new Gail(env, CartPole(0));
        var rows = new List<Abstractions.Algorithms.ResultRow>();
        gail.Learn(40_000, new Rl.Callbacks.LambdaCallback(onIterationEnd: (_, row) => { rows.Add(row); return true; }));
        double mean = PolicyEvaluation.EvaluatePolicy(gail.Predict, ExpertData.CartPoleEnv(), 10, deterministic: true, seed: 1000).MeanReward;
        Assert.True(mean >= 150, $"deterministic return {mean} < 150 after {gail.NumTimesteps} steps");
        Assert.All(rows, r => Assert.True(double.IsFinite(r["info/learner/disc_loss"])));
        Assert.True(rows.Count >= 150);
    }

    [Fact]
    public void Gail_on_a_box_env_runs_with_finite_losses_and_raw_returns()
    {
        using var env = ExpertData.PendulumVec(2);
        using var gail = new Gail(env, new GailOptions { Seed = 0, NEnvs = 2, ExpertPath = ExpertData.Pendulum, RewardForm = DiscriminatorReward.Logit, Ppo = new PpoOptions { NSteps = 256 } });
        var row = gail.Train();
        row = gail.Train();
        row = gail.Train();
        Assert.True(double.IsFinite(row["info/learner/disc_loss"]));
        Assert.True(double.IsFinite(row["info/learner/value_loss"]));
        Assert.True(row["episode_reward_mean"] < -100, $"raw Pendulum returns are negative, got {row["episode_reward_mean"]}");
    }

    [Theory]
    [InlineData(DiscriminatorReward.NegLogOneMinusD, 0f, 0.6931472f)]
    [InlineData(DiscriminatorReward.LogD, 0f, -0.6931472f)]
    [InlineData(DiscriminatorReward.Logit, 2.5f, 2.5f)]
    [InlineData(DiscriminatorReward.NegLogOneMinusD, 100f, 100f)]
    [InlineData(DiscriminatorReward.LogD, -100f, -100f)]
    public void Reward_forms_match_their_formulas_stably(DiscriminatorReward form, float logit, float expected) =>
        Assert.Equal(expected, Discriminator.Reward(logit, form), 5);

    [Fact]
    public void Rewards_seen_by_ppo_are_the_discriminators_and_episodes_keep_raw_returns()
    {
        using var inner = ExpertData.CartPoleVec(2);
        var discriminator = new Discriminator(inner.SingleObservationSpace, inner.SingleActionSpace, [8], Tensors.Nn.Activation.Tanh, new Tensors.Generator(1));
        using var env = new DiscriminatorRewardEnv(inner, discriminator, DiscriminatorReward.LogD, 4);
        env.Reset(0);
        var observations = (float[])env.Observations.Clone();
        float[] actions = [1, 0];
        env.Step(actions);
        var expected = new float[2];
        discriminator.Rewards(observations, actions, 2, DiscriminatorReward.LogD, expected);
        Assert.Equal(expected, env.Rewards);
        Assert.Equal([1f, 1f], env.RawRewards);
        Assert.Equal(2, env.StoredPairs);
        var pairObservation = new float[4];
        var pairAction = new float[1];
        env.CopyPair(1, pairObservation, pairAction);
        Assert.Equal(observations[4..], pairObservation);
        Assert.Equal(0f, pairAction[0]);
    }

    [Fact]
    public void Save_then_load_predicts_identically_and_keeps_the_discriminator()
    {
        using var env = ExpertData.CartPoleVec(2);
        using var gail = new Gail(env, CartPole(5) with { NEnvs = 2 });
        gail.Train();
        string path = ExpertData.TempPath("gail.zip");
        gail.Save(path);
        using var loaded = Gail.Load(path);
        var observation = new float[] { 0.02f, 0.1f, -0.03f, -0.2f };
        Assert.Equal(gail.ActionProbability(observation), loaded.ActionProbability(observation));
        Assert.Equal(gail.Iteration, loaded.Iteration);
        Assert.Equal(gail.NumTimesteps, loaded.NumTimesteps);
        foreach (var (name, value) in gail.Discriminator.StateDict())
            Assert.Equal(value.ToArray(), loaded.Discriminator.StateDict()[name].ToArray());
    }

    [Fact]
    public void Checkpoint_restores_generator_discriminator_and_counters()
    {
        using var env = ExpertData.CartPoleVec(2);
        using var gail = new Gail(env, CartPole(6) with { NEnvs = 2, DiscBatchSize = 32 });
        gail.Train();
        string directory = ExpertData.TempPath("gail-checkpoint");
        gail.SaveCheckpoint(directory);
        var discriminator = gail.Discriminator.StateDict().ToDictionary(p => p.Key, p => p.Value.ToArray());
        var policy = gail.PpoGenerator.Policy.GetWeights();
        gail.Train();
        gail.RestoreCheckpoint(directory);
        Assert.Equal(1, gail.Iteration);
        foreach (var (name, value) in gail.Discriminator.StateDict()) Assert.Equal(discriminator[name], value.ToArray());
        foreach (var (name, value) in gail.PpoGenerator.Policy.GetWeights()) Assert.Equal(policy[name], value);
    }

    [Fact]
    public void A_missing_expert_file_or_a_dataset_of_another_env_is_refused()
    {
        using var env = ExpertData.CartPoleVec();
        string missing = ExpertData.TempPath("none.npz");
        var e = Assert.Throws<ExpertDataException>(() => new Gail(env, CartPole(0) with { NEnvs = 1, ExpertPath = missing }));
        Assert.Contains(missing, e.Message);
        using var pendulum = ExpertData.PendulumVec();
        var mismatch = Assert.Throws<ExpertDataException>(() => new Gail(pendulum, new GailOptions { ExpertPath = ExpertData.CartPole }));
        Assert.Contains(ExpertData.CartPole, mismatch.Message);
    }
}
