using Research.Host.Catalog;

namespace Research.Host.Loading;

/// <summary>Builds the catalog: finds plugin assemblies, checks their contract version, loads each in its own context and reads its classes.</summary>
/// <remarks>Every problem becomes one <see cref="PluginFault"/> naming the file and the reason; the other plugins load regardless.</remarks>
public static class PluginLoader
{
    /// <summary>Loads every plugin found in the folders of <paramref name="options"/>.</summary>
    public static PluginCatalog Load(PluginHostOptions options)
    {
        var faults = new List<PluginFault>();
        var entries = new List<PluginEntry>();
        foreach (var path in PluginFolders.FindAssemblies(options.AllFolders(), requiredCount: 1, faults))
            LoadAssembly(path, entries, faults);
        return new PluginCatalog(WithoutDuplicates(entries, faults), faults);
    }

    private static void LoadAssembly(string path, List<PluginEntry> entries, List<PluginFault> faults)
    {
        if (ContractCheck.Problem(path) is { } problem)
        {
            faults.Add(new PluginFault(path, problem));
            return;
        }
        System.Reflection.Assembly assembly;
        try
        {
            assembly = new PluginLoadContext(path).LoadFromAssemblyPath(path);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or InvalidOperationException)
        {
            faults.Add(new PluginFault(path, $"cannot be loaded: {e.Message}"));
            return;
        }
        string? unavailable = AvailabilityChecks.Run(assembly);
        EntryReader.Read(assembly, path, entries, faults, unavailable);
    }

    // A name claimed twice is ambiguous: neither claim is registered, and the fault names every assembly involved.
    private static IEnumerable<PluginEntry> WithoutDuplicates(List<PluginEntry> entries, List<PluginFault> faults)
    {
        foreach (var group in entries.GroupBy(e => (e.Kind, e.Name.ToUpperInvariant())))
        {
            if (group.Count() == 1)
            {
                yield return group.First();
                continue;
            }
            var first = group.First();
            faults.Add(new PluginFault(first.AssemblyPath,
                $"{first.KindName} '{first.Name}' is claimed by more than one plugin: " +
                string.Join(" and ", group.Select(e => $"{e.Type.FullName} in {e.AssemblyPath}")) +
                "; neither is registered until one is renamed or removed"));
        }
    }
}
