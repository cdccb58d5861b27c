using Research.Plugins.OnPolicy;
using Research.Rl.Evaluation;
using Research.Rl.Imitation;

namespace Research.Plugins.Imitation.Tests;

public class BcTests
{
    private static BcOptions CartPole(int seed, int trajLimitation = -1) =>
        new() { Seed = seed, ExpertPath = ExpertData.CartPole, TrajLimitation = trajLimitation, EvalEpisodes = 5 };

    [Fact]
    public void Bc_from_ten_expert_episodes_balances_cartpole()
    {
        using var env = ExpertData.CartPoleVec();
        using var bc = new Bc(env, CartPole(0) with { NEpochs = 5, EvalInterval = 2 });
        Abstractions.Algorithms.ResultRow row = bc.Train();
        row = bc.Train();
        double mean = PolicyEvaluation.EvaluatePolicy(bc.Predict, ExpertData.CartPoleEnv(), 10, deterministic: true, seed: 1000).MeanReward;
        Assert.True(mean >= 475, $"deterministic return {mean} < 475");
        Assert.True(row["info/learner/val_loss"] < 0.35, $"validation loss {row["info/learner/val_loss"]} (ln 2 = 0.69 at the start)");
        Assert.Equal(row["info/learner/eval_return_mean"], row["episode_reward_mean"], 6);
        Assert.Equal(2, row["training_iteration"]);
        Assert.Equal(10, row["info/learner/epochs"]);
    }

    [Fact]
    public void Learn_counts_evaluation_steps_and_stops()
    {
        using var env = ExpertData.CartPoleVec();
        using var bc = new Bc(env, CartPole(0) with { EvalEpisodes = 1 });
        bc.Learn(1000);
        Assert.True(bc.NumTimesteps >= 1000);
        Assert.True(bc.Iteration >= 2);
    }

    [Fact]
    public void Save_then_load_predicts_identically_and_weights_load_into_ppo()
    {
        using var env = ExpertData.CartPoleVec();
        using var bc = new Bc(env, CartPole(3, trajLimitation: 2) with { EvalEpisodes = 0 });
        bc.Train();
        string path = ExpertData.TempPath("bc.zip");
        bc.Save(path);
        using var loaded = Bc.Load(path);
        var observation = new float[] { 0.01f, -0.2f, 0.03f, 0.1f };
        var probabilities = bc.ActionProbability(observation);
        Assert.Equal(probabilities, loaded.ActionProbability(observation));
        Assert.Equal(1, loaded.Iteration);

        using var ppoEnv = ExpertData.CartPoleVec();
        using var ppo = new Ppo(ppoEnv, new PpoOptions { Seed = 0 });
        ppo.Policy.SetWeights(loaded.Policy.GetWeights());
        Assert.Equal(probabilities, ppo.ActionProbability(observation));
    }

    [Fact]
    public void Checkpoint_restores_weights_and_counters()
    {
        using var env = ExpertData.CartPoleVec();
        using var bc = new Bc(env, CartPole(4) with { EvalEpisodes = 1 });
        bc.Train();
        string directory = ExpertData.TempPath("bc-checkpoint");
        bc.SaveCheckpoint(directory);
        var weights = bc.Policy.GetWeights();
        long steps = bc.NumTimesteps;
        bc.Train();
        bc.RestoreCheckpoint(directory);
        Assert.Equal(steps, bc.NumTimesteps);
        Assert.Equal(1, bc.Iteration);
        foreach (var (name, values) in weights) Assert.Equal(values, bc.Policy.GetWeights()[name]);
    }

    [Fact]
    public void A_missing_expert_file_or_path_is_a_clear_error()
    {
        using var env = ExpertData.CartPoleVec();
        string missing = ExpertData.TempPath("missing.npz");
        var e = Assert.Throws<ExpertDataException>(() => new Bc(env, CartPole(0) with { ExpertPath = missing }));
        Assert.Contains(missing, e.Message);
        var empty = Assert.Throws<ArgumentException>(() => new Bc(env, CartPole(0) with { ExpertPath = "" }));
        Assert.Contains("expert_path is required", empty.Message);
    }

    [Fact]
    public void A_dataset_for_another_environment_is_refused_naming_the_file()
    {
        using var env = ExpertData.PendulumVec();
        var e = Assert.Throws<ExpertDataException>(() => new Bc(env, CartPole(0)));
        Assert.Contains(ExpertData.CartPole, e.Message);
        Assert.Contains("'obs'", e.Message);
    }
}
