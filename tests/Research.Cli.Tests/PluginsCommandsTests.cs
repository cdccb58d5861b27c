using System.Text.Json;

namespace Research.Cli.Tests;

public class PluginsCommandsTests
{
    private static readonly string ThrowingFault =
        "warning: " + Path.Combine(AppContext.BaseDirectory, "plugins", "ThrowingPlugin", "ThrowingPlugin.dll") +
        ": expert 'throwing-options' (ThrowingPlugin.ThrowingOptionsExpert): creating its default options ThrowingOptions threw InvalidOperationException: no default options";

    [Fact]
    public void List_prints_kind_name_assembly_and_option_defaults_and_load_faults_as_warnings()
    {
        var run = CliRun.Of("plugins", "list");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("KIND         NAME               ASSEMBLY               OPTIONS", lines[0]);
        Assert.Contains("algorithm    SampleAlgo         SamplePlugin.dll       seed=null, n_envs=1, verbose=0, histogram_frequency=0, learning_rate=0.0003, gamma=0.99, net_arch=[64, 64]", lines);
        Assert.Contains("environment  Configured-v0      SamplePlugin.dll       size=2, fill=0.5", lines);
        Assert.Contains("environment  Sample-v0          SamplePlugin.dll", lines);
        Assert.Contains("environment  Throwing-v0        ThrowingPlugin.dll", lines);
        Assert.Contains("expert       sample-expert      SamplePlugin.dll", lines);
        Assert.Equal([ThrowingFault], run.ErrorLines);
    }

    [Fact]
    public void List_says_which_plugins_cannot_run_here_and_why()
    {
        var run = CliRun.Of("plugins", "list");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("environment  NeedsSimulator-v0  UnavailablePlugin.dll", lines);
        int heading = Array.IndexOf(lines, "Not available on this machine (listed above, but cannot be created):");
        Assert.True(heading > 0, run.Out);
        Assert.Equal("  UnavailablePlugin.dll (NeedsSimulator-v0): libsimulator.so.1 was not found; install it with `apt-get install libsimulator1`", lines[heading + 1]);

        var show = CliRun.Of("plugins", "show", "NeedsSimulator-v0");
        Assert.Contains("  unavailable: libsimulator.so.1 was not found; install it with `apt-get install libsimulator1`", show.Out.Split('\n'));
        var json = CliRun.Of("plugins", "list", "--json");
        using var document = JsonDocument.Parse(json.Out);
        var entry = document.RootElement.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "NeedsSimulator-v0");
        Assert.False(entry.GetProperty("available").GetBoolean());
        Assert.StartsWith("libsimulator.so.1", entry.GetProperty("unavailable_reason").GetString());
    }

    [Fact]
    public void List_json_carries_options_with_typed_defaults_and_the_faults()
    {
        var run = CliRun.Of("plugins", "list", "--json");

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        var plugins = document.RootElement.GetProperty("plugins").EnumerateArray().ToList();
        var algo = plugins.Single(p => p.GetProperty("name").GetString() == "SampleAlgo");
        Assert.Equal("algorithm", algo.GetProperty("kind").GetString());
        Assert.Equal("SamplePlugin.dll", algo.GetProperty("assembly").GetString());
        var options = algo.GetProperty("options").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Equal(JsonValueKind.Null, options["seed"].GetProperty("default").ValueKind);
        Assert.Equal(0.99, options["gamma"].GetProperty("default").GetDouble());
        Assert.Equal(1.0, options["gamma"].GetProperty("max").GetDouble());
        Assert.Equal("0.0003", options["learning_rate"].GetProperty("default").GetString());
        Assert.Equal("schedule", options["learning_rate"].GetProperty("type").GetString());
        Assert.Equal([64, 64], options["net_arch"].GetProperty("default").EnumerateArray().Select(e => e.GetInt32()));
        var env = plugins.Single(p => p.GetProperty("name").GetString() == "Sample-v0");
        Assert.Equal(3, env.GetProperty("max_episode_steps").GetInt32());
        var fault = Assert.Single(document.RootElement.GetProperty("faults").EnumerateArray());
        Assert.EndsWith("ThrowingPlugin.dll", fault.GetProperty("path").GetString());
    }

    [Fact]
    public void Show_describes_one_plugin_and_its_options()
    {
        var run = CliRun.Of("plugins", "show", "configured-v0");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            [
                "Configured-v0 (environment)",
                "  class:    SamplePlugin.ConfiguredEnv",
                $"  assembly: {Path.Combine(AppContext.BaseDirectory, "plugins", "SamplePlugin", "SamplePlugin.dll")}",
                "  max_episode_steps: none",
                "  reward_threshold:  none",
                "  options:",
                "    NAME  TYPE   DEFAULT  RANGE    DESCRIPTION",
                "    size  int    2        [1, 16]  Observation length.",
                "    fill  float  0.5               Value of every observation element.",
            ],
            run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Show_of_an_unknown_name_fails_with_one_line_naming_the_nearest()
    {
        var run = CliRun.Of("plugins", "show", "Sampel-v0");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal([ThrowingFault, "error: unknown plugin 'Sampel-v0'; did you mean 'Sample-v0'?"], run.ErrorLines);
    }

    [Fact]
    public void Verbose_adds_the_stack_trace()
    {
        var run = CliRun.Of("plugins", "show", "Sampel-v0", "--verbose");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: Research.Host.Catalog.PluginException: unknown plugin 'Sampel-v0'", run.ErrorLines[1]);
        Assert.Contains(run.ErrorLines, l => l.TrimStart().StartsWith("at Research.Host.Catalog.PluginCatalog.FindAll", StringComparison.Ordinal));
    }
}
