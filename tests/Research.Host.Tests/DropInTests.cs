using System.Diagnostics;
using System.Runtime.Loader;
using Microsoft.Extensions.DependencyInjection;
using Research.Host.Catalog;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;

namespace Research.Host.Tests;

/// <summary>The README's plugin guide, built as written and dropped in through RESEARCH_PLUGIN_PATH, with no rebuild of the host.</summary>
[Collection(nameof(EnvironmentVariableCollection))]
public sealed class DropInTests : IDisposable
{
    private readonly TempFolder _output = new();

    public void Dispose() => _output.Dispose();

    [Fact]
    public void A_plugin_built_outside_the_solution_is_listed_and_runs_with_its_own_package_version()
    {
        var host = typeof(ResearchHost).Assembly.Location;
        var hostWritten = File.GetLastWriteTimeUtc(host);
        BuildDropInPlugin(Path.Combine(_output.Path, "DropInPlugin"));
        Assert.Equal(hostWritten, File.GetLastWriteTimeUtc(host));

        var catalog = CatalogFromEnvironmentVariable(_output.Path);

        Assert.Empty(catalog.Faults);
        Assert.Equal(["RandomAgent", "Corridor-v0"], catalog.Entries.Select(e => e.Name));
        Assert.All(catalog.Entries, e => Assert.Equal(Path.Combine(_output.Path, "DropInPlugin", "DropInPlugin.dll"), e.AssemblyPath));
        Assert.Equal(["seed", "n_envs", "verbose", "histogram_frequency", "total_timesteps", "steps_per_iteration"], catalog.Get<AlgorithmEntry>("RandomAgent").Options.Select(o => o.Name));
        Assert.Equal(5, catalog.Get<EnvironmentEntry>("Corridor-v0").Options.Single().Default);

        var config = new Dictionary<string, object?> { ["length"] = 3 };
        using var vectorEnv = new SyncVectorEnv([catalog.CreateEnvironment("Corridor-v0", config), catalog.CreateEnvironment("Corridor-v0", config)]);
        Assert.IsType<TimeLimit>(vectorEnv.Envs[0]);
        var options = catalog.BindAlgorithmOptions("RandomAgent", new Dictionary<string, object?> { ["seed"] = "1", ["steps_per_iteration"] = "16" });
        using var agent = catalog.CreateAlgorithm("RandomAgent", vectorEnv, options);
        agent.Learn(64);
        Assert.Equal(64, agent.NumTimesteps);
        Assert.Equal(2, agent.Iteration);

        var model = Path.Combine(_output.Path, "agent.yaml");
        agent.Save(model);
        var yaml = File.ReadAllText(model);
        Assert.Contains("num_timesteps: 64", yaml);
        Assert.Contains("steps_per_iteration: 16", yaml);

        var hostYaml = typeof(YamlDotNet.Serialization.Serializer).Assembly;
        var pluginYaml = AssemblyLoadContext.GetLoadContext(catalog.Get<AlgorithmEntry>("RandomAgent").Type.Assembly)!
            .Assemblies.Single(a => a.GetName().Name == "YamlDotNet");
        Assert.Equal(new Version(16, 0, 0, 0), hostYaml.GetName().Version);
        Assert.Equal(new Version(15, 0, 0, 0), pluginYaml.GetName().Version);
        Assert.Equal(Path.Combine(_output.Path, "DropInPlugin", "YamlDotNet.dll"), pluginYaml.Location);
        Assert.Contains(new Version(15, 0, 0, 0), LoadedVersionsOf("YamlDotNet"));
        Assert.Contains(new Version(16, 0, 0, 0), LoadedVersionsOf("YamlDotNet"));
    }

    private static PluginCatalog CatalogFromEnvironmentVariable(string folder)
    {
        string? before = Environment.GetEnvironmentVariable(PluginHostOptions.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(PluginHostOptions.EnvironmentVariable, folder);
            using var host = ResearchHost.CreateBuilder(o => o.DefaultFolder = Path.Combine(folder, "no-default-folder")).Build();
            return host.Services.GetRequiredService<PluginCatalog>();
        }
        finally
        {
            Environment.SetEnvironmentVariable(PluginHostOptions.EnvironmentVariable, before);
        }
    }

    private static IEnumerable<Version?> LoadedVersionsOf(string name) =>
        AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == name).Select(a => a.GetName().Version);

    private static void BuildDropInPlugin(string outputFolder)
    {
        var project = Path.Combine(Fixtures.RepositoryRoot, "tests", "fixtures", "DropInPlugin", "DropInPlugin.csproj");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // No build servers: they would outlive the test holding its output pipes open.
        foreach (var argument in new[] { "build", project, "--disable-build-servers", "-nologo", "-v:q", $"-p:PluginOutDir={outputFolder}/" })
            start.ArgumentList.Add(argument);
        // The test runner's MSBuild settings belong to its own build, not to this one.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dotnet build {project} failed:\n{stdout}\n{stderr.Result}");
    }
}

/// <summary>The README's "write your own plugin" guide shows the plugin template's files verbatim (what `dotnet new research-plugin` writes).</summary>
public class GuideTests
{
    [Theory]
    [InlineData("ResearchPlugin.csproj")]
    [InlineData("Algorithm.cs")]
    public void The_readme_shows_the_template_file_verbatim(string file)
    {
        var readme = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "README.md"));
        var code = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "templates", "content", "ResearchPlugin", file)).Trim()
            .Replace("RESEARCH_VERSION", "0.1.0", StringComparison.Ordinal);
        Assert.Contains(code, readme);
    }
}
