using System.Diagnostics;
using Research.Host;
using Research.Host.Loading;
using Research.Host.Training;

namespace Research.EndToEnd.Tests;

/// <summary>The MuJoCo plugin through the command line: rendering headless, and a host that works without libmujoco.</summary>
public sealed class MuJoCoCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-mujoco-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Env_render_writes_a_headless_gif_of_a_MuJoCo_environment()
    {
        string gif = Path.Combine(_dir, "cheetah.gif");
        var run = Cli.Run("env", "render", "HalfCheetah-v4", "--steps", "4", "--seed", "0", "-o", gif);

        Assert.True(run.ExitCode == 0, run.Error);
        var bytes = File.ReadAllBytes(gif);
        Assert.Equal("GIF89a"u8.ToArray(), bytes[..6]);
        Assert.Equal(480, BitConverter.ToUInt16(bytes, 6));
    }

    // The zoo entries experiments/hyperparams holds for the MuJoCo environments, per algorithm.
    public static TheoryData<string, string> ZooEntries()
    {
        string[] locomotion = ["HalfCheetah-v4", "Ant-v4", "Hopper-v4", "Walker2d-v4", "Humanoid-v4", "Swimmer-v4"];
        var data = new TheoryData<string, string>();
        foreach (var env in locomotion.Concat(["HumanoidStandup-v4", "InvertedDoublePendulum-v4", "InvertedPendulum-v4", "Reacher-v4"])) data.Add("PPO", env);
        foreach (var algorithm in new[] { "SAC", "TD3" })
            foreach (var env in locomotion) data.Add(algorithm, env);
        return data;
    }

    [Theory]
    [MemberData(nameof(ZooEntries))]
    public void The_zoo_s_MuJoCo_settings_bind(string algorithm, string env)
    {
        var catalog = PluginLoader.Load(new PluginHostOptions
        {
            DefaultFolder = Path.Combine(AppContext.BaseDirectory, "plugins"),
            UseEnvironmentVariable = false,
        });
        // SAC and TD3 are checked as soon as their plugin is installed; PPO must be.
        if (algorithm != "PPO" && !catalog.Algorithms.Any(a => a.Name == algorithm)) return;
        var setup = TrainingSetup.Resolve(new AlgorithmFactory(catalog), algorithm, env, "zoo", new Dictionary<string, object?>(), timesteps: null);
        Assert.True(setup.Timesteps >= 1_000_000);
        Assert.EndsWith(algorithm.ToLowerInvariant() + ".yaml", setup.HyperparameterFile);
    }

    [Fact]
    public async Task Without_the_MuJoCo_library_the_host_works_and_plugins_list_says_why()
    {
        // A separate process: the library is looked up once per process, and MUJOCO_PATH points at an empty folder.
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "research.dll"), "plugins", "list"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["MUJOCO_PATH"] = _dir;
        start.Environment.Remove("RESEARCH_PLUGIN_PATH");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, error);
        var lines = (await output).Split('\n');
        Assert.Contains(lines, l => l.StartsWith("environment  CartPole-v1"));
        Assert.Contains(lines, l => l.StartsWith("environment  HalfCheetah-v4"));
        var reason = Assert.Single(lines, l => l.StartsWith("  Research.Plugins.MuJoCo.dll ("));
        Assert.Contains("HalfCheetah-v4", reason);
        Assert.Contains("the MuJoCo 2.2.2 library (libmujoco.so.2.2.2) was not found in MUJOCO_PATH=" + _dir, reason);
        Assert.DoesNotContain("warning", error);
    }
}
