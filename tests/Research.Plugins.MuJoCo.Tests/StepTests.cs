namespace Research.Plugins.MuJoCo.Tests;

/// <summary>Rewards, terminations, info and observations against Gymnasium's formulas applied to the recorded simulation states.</summary>
public sealed class StepTests
{
    [Theory]
    [MemberData(nameof(MuJoCoEnvs.All), MemberType = typeof(MuJoCoEnvs))]
    public void Every_step_is_Gymnasium_s_formula_on_the_recorded_states(string id)
    {
        using var env = MuJoCoEnvs.Create(id);
        var actions = MuJoCoEnvs.Actions(env, 120, seed: 7);
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, seed: 3);
        AssertObservation(GymnasiumFormulas.Observation(env), observation, $"{id} after reset");
        for (int t = 0; t < actions.Length; t++)
        {
            var before = Before.Of(env.Data);
            var outcome = env.Step(actions[t], observation);
            var expected = GymnasiumFormulas.Step(env, before, actions[t]);
            string what = $"{id} step {t}";
            MuJoCoEnvs.Same(actions[t].Select(a => (double)a).ToArray(), env.Data.Ctrl, $"{what} ctrl (the action, unclipped)");
            MuJoCoEnvs.Same(expected.Reward, outcome.Reward, $"{what} reward");
            Assert.Equal(expected.Terminated, outcome.Terminated);
            Assert.False(outcome.Truncated);
            AssertObservation(expected.Observation, observation, what);
            Assert.Equal(expected.Info.Select(p => p.Key), env.Info.Keys);
            foreach (var (key, value) in expected.Info) MuJoCoEnvs.Same(value, (double)env.Info[key], $"{what} info[{key}]");
            if (outcome.Terminated) env.Reset(observation);
        }
    }

    [Fact]
    public void Ant_with_contact_forces_adds_the_clipped_forces_and_their_cost_as_Gymnasium_does()
    {
        using var env = new AntEnv(new AntOptions { UseContactForces = true, ContactForceRange = [-0.5, 0.5] });
        var actions = MuJoCoEnvs.Actions(env, 40, seed: 1);
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, seed: 0);
        bool sawContact = false;
        foreach (var action in actions)
        {
            var before = Before.Of(env.Data);
            var outcome = env.Step(action, observation);
            var plain = GymnasiumFormulas.Step(env, before, action);
            var forces = env.Data.CfrcExt.ToArray();
            double contactCost = 5e-4 * NumpyArithmetic.Sum<double>(forces.Select(f => Clip(f) * Clip(f)).ToArray());
            sawContact |= contactCost > 0;
            double ctrlCost = -plain.Info.Single(p => p.Key == "reward_ctrl").Value;
            MuJoCoEnvs.Same((plain.Reward + ctrlCost) - (ctrlCost + contactCost), outcome.Reward, "reward with the contact cost");
            // Gymnasium overwrites reward_ctrl with the negated contact cost when contact forces are used.
            MuJoCoEnvs.Same(-contactCost, (double)env.Info["reward_ctrl"], "info[reward_ctrl]");
            var clipped = forces.Select(Clip).ToArray();
            AssertObservation([.. plain.Observation, .. clipped], observation, "observation with the contact forces");
            if (outcome.Terminated) env.Reset(observation);
        }
        Assert.True(sawContact, "the ant never touched the ground: the contact cost was not exercised");

        static double Clip(double f) => f < -0.5 ? -0.5 : f > 0.5 ? 0.5 : f;
    }

    private static void AssertObservation(double[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(((float)expected[i]).Equals(actual[i]), $"{what}: observation[{i}] = {actual[i]:R}, expected {(float)expected[i]:R}");
    }
}
