namespace Research.Plugins.MuJoCo.Tests;

/// <summary>Health checks at their bounds, termination when they fail, and terminate_when_unhealthy = false.</summary>
public sealed class TerminationTests
{
    [Fact]
    public void Hopper_health_bounds_are_open_intervals_on_height_angle_and_state()
    {
        using var env = new HopperEnv();
        env.Reset(seed: 0);
        Assert.True(env.IsHealthy);
        AssertHealth(env, () => env.IsHealthy, q => q[1] = 0.7, false);
        AssertHealth(env, () => env.IsHealthy, q => q[1] = Math.BitIncrement(0.7), true);
        AssertHealth(env, () => env.IsHealthy, q => q[2] = 0.2, false);
        AssertHealth(env, () => env.IsHealthy, q => q[2] = -0.2, false);
        AssertHealth(env, () => env.IsHealthy, q => q[2] = Math.BitDecrement(0.2), true);
        AssertHealth(env, () => env.IsHealthy, q => q[3] = 100, false);
        AssertHealth(env, () => env.IsHealthy, q => q[3] = double.NaN, false);
        env.Reset(seed: 0);
        env.Data.Qvel[5] = -100;
        Assert.False(env.IsHealthy);
    }

    [Fact]
    public void Walker_Ant_and_Humanoid_health_bounds_are_Gymnasium_s()
    {
        using var walker = new Walker2dEnv();
        walker.Reset(seed: 0);
        AssertHealth(walker, () => walker.IsHealthy, q => q[1] = 0.8, false);
        AssertHealth(walker, () => walker.IsHealthy, q => q[1] = 2.0, false);
        AssertHealth(walker, () => walker.IsHealthy, q => q[1] = 1.9, true);
        AssertHealth(walker, () => walker.IsHealthy, q => q[2] = 1.0, false);
        using var ant = new AntEnv();
        ant.Reset(seed: 0);
        // Ant's z range is closed: 0.2 and 1.0 themselves are healthy.
        AssertHealth(ant, () => ant.IsHealthy, q => q[2] = 0.2, true);
        AssertHealth(ant, () => ant.IsHealthy, q => q[2] = 1.0, true);
        AssertHealth(ant, () => ant.IsHealthy, q => q[2] = Math.BitIncrement(1.0), false);
        AssertHealth(ant, () => ant.IsHealthy, q => q[7] = double.PositiveInfinity, false);
        using var humanoid = new HumanoidEnv();
        humanoid.Reset(seed: 0);
        AssertHealth(humanoid, () => humanoid.IsHealthy, q => q[2] = 1.0, false);
        AssertHealth(humanoid, () => humanoid.IsHealthy, q => q[2] = 1.5, true);
    }

    public static TheoryData<string> Falling() => new(["Hopper-v4", "Walker2d-v4", "Ant-v4", "Humanoid-v4", "InvertedPendulum-v4", "InvertedDoublePendulum-v4"]);

    [Theory]
    [MemberData(nameof(Falling))]
    public void An_unhealthy_state_terminates_the_episode_and_a_further_step_throws(string id)
    {
        using var env = MuJoCoEnvs.Create(id);
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, seed: 0);
        Knock(env);
        var action = new float[env.ActionSpace.FlatSize];
        var outcome = env.Step(action, observation);
        Assert.True(outcome.Terminated, $"{id}: an unhealthy state did not terminate");
        Assert.False(outcome.Truncated);
        var error = Assert.Throws<InvalidOperationException>(() => env.Step(action, observation));
        Assert.Contains(id, error.Message);
        env.Reset(observation, seed: 1);
        Assert.False(env.Step(action, observation).Terminated);
    }

    [Fact]
    public void Without_termination_an_unhealthy_hopper_runs_on_with_no_healthy_reward()
    {
        using var env = new HopperEnv(new HopperOptions { TerminateWhenUnhealthy = false });
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, seed: 0);
        Knock(env);
        var action = new float[env.ActionSpace.FlatSize];
        double before = env.Data.Qpos[0];
        var outcome = env.Step(action, observation);
        Assert.False(outcome.Terminated);
        Assert.False(env.IsHealthy);
        MuJoCoEnvs.Same((env.Data.Qpos[0] - before) / env.Dt + 0.0 - 0.0, outcome.Reward, "reward without the healthy reward");
        for (int t = 0; t < 30; t++) Assert.False(env.Step(action, observation).Terminated);
    }

    // Puts the body into a state its health check rejects (MuJoCo's next step keeps it there), via Gymnasium's set_state.
    private static void Knock(MuJoCoEnv env)
    {
        var qpos = env.Data.Qpos.ToArray();
        var qvel = env.Data.Qvel.ToArray();
        switch (env.Id)
        {
            case "Hopper-v4":
            case "Walker2d-v4":
                qpos[1] = 0.3;
                break;
            case "Ant-v4":
                qpos[2] = 1.5;
                break;
            case "Humanoid-v4":
                qpos[2] = 0.5;
                break;
            case "InvertedPendulum-v4":
                qpos[1] = 0.5;
                break;
            case "InvertedDoublePendulum-v4":
                qpos[1] = 1.5;
                break;
        }
        qpos.CopyTo(env.Data.Qpos);
        qvel.CopyTo(env.Data.Qvel);
        env.Data.Forward();
    }

    private static void AssertHealth(MuJoCoEnv env, Func<bool> healthy, Action<double[]> change, bool expected)
    {
        var saved = env.Data.Qpos.ToArray();
        var qpos = env.Data.Qpos.ToArray();
        change(qpos);
        qpos.CopyTo(env.Data.Qpos);
        Assert.Equal(expected, healthy());
        saved.CopyTo(env.Data.Qpos);
    }
}
