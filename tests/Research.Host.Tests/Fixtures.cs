using System.Reflection;
using Research.Host.Catalog;
using Research.Host.Loading;

namespace Research.Host.Tests;

/// <summary>The fixture plugins the build copied into bin/.../fixtures/, and catalogs built from them alone.</summary>
internal static class Fixtures
{
    public static string Folder(string plugin) => Path.Combine(AppContext.BaseDirectory, "fixtures", plugin);

    public static string Assembly(string plugin) => Path.Combine(Folder(plugin), plugin + ".dll");

    public static string RepositoryRoot => typeof(Fixtures).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ResearchRoot").Value!;

    /// <summary>A catalog of exactly these folders: no default folder, no RESEARCH_PLUGIN_PATH.</summary>
    public static PluginCatalog Catalog(params string[] folders) => PluginLoader.Load(new PluginHostOptions
    {
        DefaultFolder = Path.Combine(Path.GetTempPath(), "research-no-default-plugins"),
        SearchPaths = [.. folders],
        UseEnvironmentVariable = false,
    });
}

/// <summary>A fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "research-host-" + Guid.NewGuid().ToString("N"));

    /// <summary>Copies a fixture plugin's folder to <c>relative</c> under this folder and returns the copy's path.</summary>
    public string CopyPlugin(string plugin, string relative)
    {
        var target = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Fixtures.Folder(plugin)))
            File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetFileName(file)));
        return target;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a loaded plugin may keep its file open on some systems; the OS cleans temp */ }
        catch (UnauthorizedAccessException) { }
    }
}
