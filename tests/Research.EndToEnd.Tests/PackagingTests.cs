using System.Diagnostics;
using System.Reflection;

namespace Research.EndToEnd.Tests;

/// <summary>
/// A plugin author's path without a clone: pack the contract, the template and the tool (from this build, --no-build), install the
/// template, create a plugin with an algorithm, an environment and an expert outside the repository, build it against the packages
/// from a local feed, and run it through the host — in-process and through the installed research tool.
/// </summary>
public sealed class PackagingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-packaging-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Root => typeof(PackagingTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ResearchRoot").Value!;

    private static string Configuration => typeof(PackagingTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    [Fact]
    public void A_plugin_made_from_the_template_builds_against_the_packages_and_runs_in_the_host_and_the_tool()
    {
        string feed = Path.Combine(_dir, "feed"), packages = Path.Combine(_dir, "packages"), plugin = Path.Combine(_dir, "MyPlugin");
        // A private package folder: the packages' version repeats from build to build, and a shared cache would keep the first.
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages, ["DOTNET_CLI_HOME"] = Path.Combine(_dir, "home") };
        foreach (string project in (string[])["src/Research.Abstractions", "src/Research.Storage", "src/Research.Tensors", "src/Research.Rl", "templates/Research.Templates.csproj", "src/Research.Cli"])
            Dotnet(environment, "pack", Path.Combine(Root, project), "-c", Configuration, "--no-build", "-o", feed);
        File.WriteAllText(Path.Combine(_dir, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="research-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        string hive = Path.Combine(_dir, "hive"), template = Directory.GetFiles(feed, "Research.Templates.*.nupkg").Single();
        Dotnet(environment, "new", "install", template, "--debug:custom-hive", hive);
        Dotnet(environment, "new", "research-plugin", "-n", "MyPlugin", "-o", plugin, "--environment", "true", "--expert", "true", "--debug:custom-hive", hive);
        Dotnet(environment, "build", plugin, "-c", "Release");
        string output = Path.Combine(plugin, "bin", "Release", "net10.0");
        Assert.False(File.Exists(Path.Combine(output, "Research.Rl.dll")), "the contract is the host's, never the plugin's");

        var list = Run(output, "plugins", "list");
        Assert.Equal(0, list.ExitCode);
        foreach (string name in (string[])["MyPlugin.RandomAgent", "MyPlugin.Corridor-v0", "MyPlugin.walk-right"]) Assert.Contains(name, list.Out);
        var train = Run(output, "train", "MyPlugin.RandomAgent", "MyPlugin.Corridor-v0", "--timesteps", "128", "-o", Path.Combine(_dir, "run"));
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("trained MyPlugin.RandomAgent on MyPlugin.Corridor-v0 for 128 timesteps", train.Out);

        string tools = Path.Combine(_dir, "tools");
        Dotnet(environment, "tool", "install", "research", "--add-source", feed, "--tool-path", tools);
        var toolRun = Process(Path.Combine(tools, "research"), new Dictionary<string, string> { ["RESEARCH_PLUGIN_PATH"] = output }, "plugins", "list");
        Assert.Contains("PPO", toolRun);
        Assert.Contains("CartPole-v1", toolRun);
        Assert.Contains("MyPlugin.RandomAgent", toolRun);
    }

    private static Cli Run(string pluginFolder, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Research.Cli.Program.Run(args, output, error, o =>
        {
            o.UseEnvironmentVariable = false;
            o.SearchPaths.Add(pluginFolder);
        });
        return new Cli(code, output.ToString(), error.ToString());
    }

    private static void Dotnet(Dictionary<string, string> environment, params string[] args) =>
        Process(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", environment, [.. args, .. args[0] is "build" or "pack" ? ["--disable-build-servers", "-nologo"] : Array.Empty<string>()]);

    private static string Process(string fileName, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in args) start.ArgumentList.Add(argument);
        // The test runner's MSBuild settings belong to its own build, not to this one.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList()) start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', args)} did not finish in 10 minutes.");
        }
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', args)} failed ({process.ExitCode}):\n{stdout}\n{stderr.Result}");
        return stdout;
    }
}
