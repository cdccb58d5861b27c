using Microsoft.Extensions.DependencyInjection;
using Research.Host;
using Research.Host.Catalog;
using Research.Host.Training;
using Research.Rl.Algorithms;

namespace Research.EndToEnd.Tests;

/// <summary>The command-line repairs: SB3's list net_arch, a repeatable eval seed, sweep overrides checked before anything runs.</summary>
public sealed class CommandLineRepairTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-repairs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Net_arch_takes_sb3s_list_in_config_and_a_bad_value_says_what_to_write()
    {
        var catalog = ResearchHost.CreateBuilder(o => o.UseEnvironmentVariable = false).Build().Services.GetRequiredService<PluginCatalog>();
        var plan = new AlgorithmFactory(catalog).Plan("PPO", "CartPole-v1", ConfigPairs.Parse(["policy_kwargs.net_arch=[128,128,128]"]));
        var netArch = ((OnPolicyOptions)plan.Options).PolicyKwargs.NetArch;
        Assert.Equal([128, 128, 128], netArch.Pi);
        Assert.Equal([128, 128, 128], netArch.Vf);

        var bad = Cli.Run("train", "PPO", "CartPole-v1", "--config", "policy_kwargs.net_arch=wide", "--timesteps", "64");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("option 'policy_kwargs.net_arch[0]' for PPO: 'wide' is not a valid int", bad.Error);
    }

    [Fact]
    public void Eval_prints_the_seed_it_drew_and_that_seed_repeats_the_result()
    {
        string model = Path.Combine(_dir, "m");
        Assert.Equal(0, Cli.Run("train", "A2C", "CartPole-v1", "--timesteps", "100", "-o", model).ExitCode);
        var first = Cli.Run("eval", Path.Combine(model, "model.zip"), "CartPole-v1", "--episodes", "2", "--deterministic", "false");
        Assert.True(first.ExitCode == 0, first.Error);
        var seed = System.Text.RegularExpressions.Regex.Match(first.Out, @"repeat with --seed (\d+)").Groups[1].Value;
        Assert.NotEmpty(seed);
        var again = Cli.Run("eval", Path.Combine(model, "model.zip"), "CartPole-v1", "--episodes", "2", "--deterministic", "false", "--seed", seed);
        Assert.Equal(first.Out.Split(", seed")[0], again.Out.Split(", seed")[0]);
    }

    [Fact]
    public void Sweep_config_overrides_are_validated_with_the_budget_before_any_trial()
    {
        string spec = Path.Combine(_dir, "spec.yaml");
        File.WriteAllText(spec, "name: s\nalgorithm: PPO\nenv: CartPole-v1\nconfig: {n_steps: 32}\nstop: {training_iteration: 2}\n");
        var output = new StringWriter();
        var previous = Console.Error;
        Console.SetError(output);
        try
        {
            Assert.Equal(1, Cli.Run("sweep", spec, "--output", _dir, "--config", "learning_rate=lin_0.001").ExitCode);
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.Contains("learning_rate = lin_0.001 follows the training budget", output.ToString());
        Assert.False(Directory.Exists(Path.Combine(_dir, "s")));
    }
}
