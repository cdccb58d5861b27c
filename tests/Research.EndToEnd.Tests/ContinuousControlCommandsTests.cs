using System.Text.Json;
using Research.Rl.Algorithms;

namespace Research.EndToEnd.Tests;

/// <summary>SAC, TD3 and DDPG through the command line: the zoo's settings, model files, and the errors for options of the wrong algorithm.</summary>
public sealed class ContinuousControlCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-continuous-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Dqn_on_pendulum_is_refused_naming_the_algorithms_for_box_actions()
    {
        var run = Cli.Run("train", "DQN", "Pendulum-v1", "--timesteps", "100", "-o", _dir);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("PPO, A2C, SAC, TD3, DDPG", run.Error);
    }

    [Fact]
    public void Action_noise_for_dqn_fails_naming_the_algorithms_that_take_it()
    {
        var run = Cli.Run("train", "DQN", "CartPole-v1", "--config", "noise_type=normal", "--timesteps", "100", "-o", _dir);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("option 'noise_type' is not one of DQN's but of DDPG, SAC, TD3", run.Error);
        var paramNoise = Cli.Run("train", "TD3", "Pendulum-v1", "--config", "param_noise.initial_stddev=0.2", "--timesteps", "100", "-o", _dir);
        Assert.Contains("option 'param_noise.initial_stddev' is not one of TD3's but of DDPG", paramNoise.Error);
    }

    [Theory]
    [InlineData("TD3", "policy_delay=0", "'policy_delay'")]
    [InlineData("SAC", "ent_coef=auto_x", "option 'ent_coef' for SAC: 'auto_x' is not valid")]
    [InlineData("SAC", "target_entropy=high", "option 'target_entropy' for SAC")]
    [InlineData("DDPG", "noise_type=pink", "'noise_type'")]
    public void Bad_options_fail_naming_the_option(string algorithm, string config, string expected)
    {
        var run = Cli.Run("train", algorithm, "Pendulum-v1", "--config", config, "--timesteps", "100", "-o", _dir);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.False(File.Exists(Path.Combine(_dir, "model.zip")));
    }

    [Theory]
    [InlineData("SAC", "Pendulum-v1")]
    [InlineData("SAC", "MountainCarContinuous-v0")]
    [InlineData("TD3", "Pendulum-v1")]
    [InlineData("DDPG", "MountainCarContinuous-v0")]
    public void Train_with_the_zoo_settings_then_eval_the_model(string algorithm, string env)
    {
        var run = Cli.Run("train", algorithm, env, "--hyperparams", "zoo", "--timesteps", "300", "--config", "learning_starts=200", "batch_size=32", "-o", _dir);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"{algorithm.ToLowerInvariant()}.yaml", run.Out);
        string model = Path.Combine(_dir, "model.zip");
        var options = ModelArchive.ReadData(model).GetProperty("options");
        if (algorithm == "SAC" && env == "MountainCarContinuous-v0")
        {
            Assert.True(options.GetProperty("use_sde").GetBoolean());
            Assert.Equal("0.1", options.GetProperty("ent_coef").GetString());
            Assert.Equal(-3.67, options.GetProperty("policy_kwargs").GetProperty("log_std_init").GetDouble());
        }
        if (algorithm == "TD3") Assert.Equal("normal", options.GetProperty("noise_type").GetString());
        if (algorithm == "DDPG") Assert.Equal("ornstein_uhlenbeck", options.GetProperty("noise_type").GetString());

        var eval = Cli.Run("eval", model, env, "--episodes", "2", "--json");
        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.Equal(algorithm, JsonDocument.Parse(eval.Out).RootElement.GetProperty("algorithm").GetString());
    }
}
