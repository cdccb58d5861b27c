namespace Research.Plugins.OffPolicy.Tests;

public class LearningTests
{
    [Fact]
    public void Dqn_with_zoo_settings_balances_cartpole_within_20k_steps()
    {
        // Measured: 134.5 for seed 0 (seeds 1 and 2: 252.5 and 94.7; DQN on CartPole oscillates between evaluations).
        using var env = ClassicControlVectorEnvs.CartPole(1);
        using var dqn = new Dqn(env, Envs.ZooDqnCartPole(0));
        dqn.Learn(20_000);
        double mean = Envs.EvaluateCartPole(dqn);
        Assert.True(mean >= 120, $"mean deterministic return {mean} < 120");
    }
}
