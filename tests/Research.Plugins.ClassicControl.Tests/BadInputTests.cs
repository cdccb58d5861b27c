using Research.Abstractions.Spaces;

namespace Research.Plugins.ClassicControl.Tests;

/// <summary>Invalid actions and calls out of order fail with messages naming the environment, the value and what was expected.</summary>
public sealed class BadInputTests
{
    [Theory]
    [InlineData("CartPole-v1", 2f)]
    [InlineData("CartPole-v1", -1f)]
    [InlineData("CartPole-v1", 0.5f)]
    [InlineData("MountainCar-v0", 3f)]
    [InlineData("Acrobot-v1", float.NaN)]
    public void Discrete_action_outside_the_space_throws(string id, float action)
    {
        using var env = EnvFactory.CreateRaw(id);
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, 0);
        var error = Assert.Throws<SpaceMismatchException>(() => env.Step([action], observation));
        Assert.Contains(id, error.Message);
        Assert.Contains(Space.Format([action]), error.Message);
        Assert.Contains(env.ActionSpace.ToString()!, error.Message);
    }

    [Theory]
    [InlineData("MountainCarContinuous-v0", float.NaN)]
    [InlineData("MountainCarContinuous-v0", float.PositiveInfinity)]
    [InlineData("Pendulum-v1", float.NegativeInfinity)]
    [InlineData("Pendulum-v1", float.NaN)]
    public void Non_finite_continuous_action_throws(string id, float action)
    {
        using var env = EnvFactory.CreateRaw(id);
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, 0);
        var error = Assert.Throws<SpaceMismatchException>(() => env.Step([action], observation));
        Assert.Contains(id, error.Message);
        Assert.Contains(Space.Format([action]), error.Message);
    }

    [Fact]
    public void Finite_out_of_bounds_continuous_action_is_clipped_like_Gymnasium()
    {
        using var clipped = new PendulumEnv();
        using var bound = new PendulumEnv();
        var a = new float[3];
        var b = new float[3];
        clipped.Reset(a, 4);
        bound.Reset(b, 4);
        var outcomeA = clipped.Step([7.5f], a);
        var outcomeB = bound.Step([2f], b);
        Assert.Equal(b, a);
        Assert.Equal(outcomeB.Reward, outcomeA.Reward);
    }

    [Theory]
    [InlineData("CartPole-v1")]
    [InlineData("Pendulum-v1")]
    public void Wrong_action_length_throws(string id)
    {
        using var env = EnvFactory.CreateRaw(id);
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, 0);
        var error = Assert.Throws<SpaceMismatchException>(() => env.Step([0f, 0f], observation));
        Assert.Contains("expected 1 element", error.Message);
    }

    [Theory]
    [MemberData(nameof(GoldenEpisodeTests.Ids), MemberType = typeof(GoldenEpisodeTests))]
    public void Step_before_reset_throws(string id)
    {
        using var env = EnvFactory.CreateRaw(id);
        var error = Assert.Throws<InvalidOperationException>(() => env.Step(env.ActionSpace.Sample(), new float[env.ObservationSpace.FlatSize]));
        Assert.Contains(id, error.Message);
        Assert.Contains("before Reset", error.Message);
    }

    [Fact]
    public void Wrong_observation_buffer_throws()
    {
        using var env = new AcrobotEnv();
        var error = Assert.Throws<ArgumentException>(() => env.Reset(new float[4], 0));
        Assert.Contains("Acrobot-v1", error.Message);
        Assert.Contains("expected 6", error.Message);
    }

    [Fact]
    public void Pendulum_gravity_option_changes_the_dynamics()
    {
        using var standard = new PendulumEnv();
        using var moon = new PendulumEnv(new PendulumOptions { G = 1.62 });
        var a = new float[3];
        var b = new float[3];
        standard.Reset(a, 0);
        moon.Reset(b, 0);
        Assert.Equal(a, b);
        standard.Step([0f], a);
        moon.Step([0f], b);
        Assert.NotEqual(a[2], b[2]);
        Assert.Throws<ArgumentException>(() => new PendulumEnv(new PendulumOptions { G = double.NaN }));
    }
}
