using Research.Host.Catalog;
using Research.Host.Loading;

namespace Research.Host.Tests;

[Collection(nameof(EnvironmentVariableCollection))]
public class DiscoveryTests
{
    [Fact]
    public void The_default_folder_holds_one_folder_per_plugin()
    {
        using var temp = new TempFolder();
        temp.CopyPlugin("SamplePlugin", "plugins/SamplePlugin");
        temp.CopyPlugin("TwinPluginA", "plugins/TwinPluginA");
        var catalog = PluginLoader.Load(new PluginHostOptions { DefaultFolder = Path.Combine(temp.Path, "plugins"), UseEnvironmentVariable = false });
        Assert.Empty(catalog.Faults);
        Assert.Equal(["SamplePlugin.dll", "TwinPluginA.dll"], catalog.Entries.Select(e => e.AssemblyFile).Distinct().Order());
    }

    [Fact]
    public void A_search_folder_may_be_a_plugin_folder_itself_or_contain_plugin_folders()
    {
        using var temp = new TempFolder();
        var direct = temp.CopyPlugin("SamplePlugin", "direct");
        temp.CopyPlugin("TwinPluginA", "parent/a");
        var catalog = Fixtures.Catalog(direct, Path.Combine(temp.Path, "parent"));
        Assert.Empty(catalog.Faults);
        Assert.Contains(catalog.Entries, e => e.Name == "Sample-v0");
        Assert.Contains(catalog.Entries, e => e.Name == "OnlyA-v0");
    }

    [Fact]
    public void The_environment_variable_lists_folders_separated_by_the_path_separator()
    {
        var options = new PluginHostOptions { DefaultFolder = "default", SearchPaths = ["configured"] };
        string? before = Environment.GetEnvironmentVariable(PluginHostOptions.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(PluginHostOptions.EnvironmentVariable, $"one{Path.PathSeparator} two {Path.PathSeparator}");
            Assert.Equal(["default", "configured", "one", "two"], options.AllFolders());
            options.UseEnvironmentVariable = false;
            Assert.Equal(["default", "configured"], options.AllFolders());
        }
        finally
        {
            Environment.SetEnvironmentVariable(PluginHostOptions.EnvironmentVariable, before);
        }
    }

    [Fact]
    public void A_missing_default_folder_is_silent_but_a_missing_search_folder_is_a_fault()
    {
        var missing = Path.Combine(Path.GetTempPath(), "research-missing-" + Guid.NewGuid().ToString("N"));
        var catalog = Fixtures.Catalog(missing);
        Assert.Empty(catalog.Entries);
        Assert.Equal($"{missing}: plugin folder does not exist", Assert.Single(catalog.Faults).ToString());
    }

    [Fact]
    public void The_same_folder_listed_twice_loads_once()
    {
        var catalog = Fixtures.Catalog(Fixtures.Folder("SamplePlugin"), Fixtures.Folder("SamplePlugin") + "/");
        Assert.Empty(catalog.Faults);
        Assert.Single(catalog.Entries, e => e.Name == "Sample-v0");
    }

    [Fact]
    public void Contract_assemblies_copied_into_a_plugin_folder_are_not_taken_for_plugins()
    {
        using var temp = new TempFolder();
        var folder = temp.CopyPlugin("SamplePlugin", "SamplePlugin");
        var abstractions = typeof(Research.Abstractions.Spaces.Space).Assembly.Location;
        File.Copy(abstractions, Path.Combine(folder, "Research.Abstractions.dll"));
        File.WriteAllText(Path.Combine(folder, "Research.Abstractions.deps.json"), "{}");
        var catalog = Fixtures.Catalog(folder);
        Assert.Empty(catalog.Faults);
        Assert.All(catalog.Entries, e => Assert.Equal("SamplePlugin.dll", e.AssemblyFile));
    }

    [Fact]
    public void Dependency_dlls_without_deps_json_are_not_plugins()
    {
        using var temp = new TempFolder();
        var folder = temp.CopyPlugin("SamplePlugin", "SamplePlugin");
        File.WriteAllText(Path.Combine(folder, "SomeDependency.dll"), "not even an assembly");
        Assert.Empty(Fixtures.Catalog(folder).Faults);
    }
}
