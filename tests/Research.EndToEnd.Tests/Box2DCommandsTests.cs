using System.Diagnostics;
using Research.Host;
using Research.Host.Loading;
using Research.Host.Training;

namespace Research.EndToEnd.Tests;

/// <summary>The Box2D plugin through the command line: the seed's LunarLander example on a small budget, the zoo's settings,
/// and a host that works without the native shim.</summary>
public sealed class Box2DCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-box2d-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Train_eval_and_render_LunarLander_as_the_seed_s_example_does()
    {
        string output = Path.Combine(_dir, "a2c_lunar"), gif = Path.Combine(_dir, "lander_a2c.gif");
        var train = Cli.Run("train", "A2C", "LunarLander-v2", "--config", "ent_coef=0.1", "--timesteps", "2000", "-o", output);
        Assert.True(train.ExitCode == 0, train.Error);
        string model = Path.Combine(output, "model.zip");
        Assert.True(File.Exists(model));

        var eval = Cli.Run("eval", model, "LunarLander-v2", "--episodes", "2", "--json");
        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.Contains("\"mean_reward\"", eval.Out);

        var render = Cli.Run("env", "render", "LunarLander-v2", "--policy", "model:" + model, "--steps", "30", "-o", gif);
        Assert.True(render.ExitCode == 0, render.Error);
        var bytes = File.ReadAllBytes(gif);
        Assert.Equal("GIF89a"u8.ToArray(), bytes[..6]);
        Assert.Equal((600, 400), (BitConverter.ToUInt16(bytes, 6), BitConverter.ToUInt16(bytes, 8)));
    }

    public static TheoryData<string, string> ZooEntries() => new()
    {
        { "A2C", "LunarLander-v2" }, { "A2C", "LunarLanderContinuous-v2" }, { "A2C", "BipedalWalker-v3" }, { "A2C", "BipedalWalkerHardcore-v3" },
        { "PPO", "LunarLander-v2" }, { "PPO", "LunarLanderContinuous-v2" }, { "PPO", "BipedalWalker-v3" }, { "PPO", "BipedalWalkerHardcore-v3" },
        { "DQN", "LunarLander-v2" },
    };

    [Theory]
    [MemberData(nameof(ZooEntries))]
    public void The_zoo_s_Box2D_settings_bind(string algorithm, string env)
    {
        var catalog = PluginLoader.Load(new PluginHostOptions
        {
            DefaultFolder = Path.Combine(AppContext.BaseDirectory, "plugins"),
            UseEnvironmentVariable = false,
        });
        var setup = TrainingSetup.Resolve(new AlgorithmFactory(catalog), algorithm, env, "zoo", new Dictionary<string, object?>(), timesteps: null);
        Assert.True(setup.Plan.Timesteps >= 100_000);
        Assert.EndsWith(algorithm.ToLowerInvariant() + ".yaml", setup.HyperparameterFile);
    }

    [Fact]
    public async Task Without_the_native_shim_the_host_works_and_plugins_list_says_why()
    {
        // A separate process: the shim is looked up once per process; RESEARCH_BOX2D_SHIM names a file that is not there.
        string missing = Path.Combine(_dir, "libresearch_box2d.so");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "research.dll"), "plugins", "list"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["RESEARCH_BOX2D_SHIM"] = missing;
        start.Environment.Remove("RESEARCH_PLUGIN_PATH");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, error);
        var lines = (await output).Split('\n');
        Assert.Contains(lines, l => l.StartsWith("environment  CartPole-v1"));
        Assert.Contains(lines, l => l.StartsWith("environment  LunarLander-v2"));
        var reason = Assert.Single(lines, l => l.StartsWith("  Research.Plugins.Box2D.dll ("));
        Assert.Contains("CarRacing-v2", reason);
        Assert.Contains($"RESEARCH_BOX2D_SHIM={missing} names no file", reason);
        Assert.DoesNotContain("warning", error);
    }
}
