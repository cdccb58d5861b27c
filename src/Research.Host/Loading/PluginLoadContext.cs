using System.Reflection;
using System.Runtime.Loader;

namespace Research.Host.Loading;

/// <summary>The load context of one plugin: its own dependencies resolve from its .deps.json, the shared assemblies from the host.</summary>
/// <remarks>Not collectible: the catalog keeps the plugin's types for the life of the process, so it could never be unloaded anyway.</remarks>
internal sealed class PluginLoadContext(string mainAssemblyPath)
    : AssemblyLoadContext(Path.GetFileNameWithoutExtension(mainAssemblyPath), isCollectible: false)
{
    private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (SharedAssemblies.IsShared(assemblyName.Name)) return null;
        return _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
}
