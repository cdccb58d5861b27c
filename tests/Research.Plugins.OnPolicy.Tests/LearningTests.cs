using Research.Plugins.ClassicControl;
using Research.Rl.Evaluation;
using Research.Rl.Wrappers;

namespace Research.Plugins.OnPolicy.Tests;

public class LearningTests
{
    private static double Evaluate(Rl.Algorithms.AlgorithmBase<PpoOptions> model) =>
        PolicyEvaluation.EvaluatePolicy(model.Predict, new TimeLimit(new CartPoleEnv(), 500), 10, deterministic: true, seed: 1000).MeanReward;

    [Fact]
    public void Ppo_with_zoo_settings_balances_cartpole_within_25k_steps()
    {
        using var env = Envs.CartPole(8);
        using var ppo = new Ppo(env, Envs.ZooPpoCartPole(0));
        ppo.Learn(25_000);
        double mean = Evaluate(ppo);
        Assert.True(mean >= 200, $"mean deterministic return {mean} < 200");
    }

    [Fact]
    public void A2c_learns_cartpole_within_50k_steps()
    {
        using var env = Envs.CartPole(8);
        using var a2c = new A2c(env, new A2cOptions { Seed = 0, NEnvs = 8, EntCoef = 0 });
        a2c.Learn(50_000);
        double mean = PolicyEvaluation.EvaluatePolicy(a2c.Predict, new TimeLimit(new CartPoleEnv(), 500), 10, deterministic: true, seed: 1000).MeanReward;
        Assert.True(mean >= 150, $"mean deterministic return {mean} < 150");
    }
}
