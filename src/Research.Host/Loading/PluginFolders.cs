using Research.Host.Catalog;

namespace Research.Host.Loading;

/// <summary>Finds plugin assemblies: a folder is a plugin folder when it holds one, otherwise its sub-folders are searched.</summary>
/// <remarks>
/// A plugin assembly is <c>X.dll</c> with its <c>X.deps.json</c> beside it (what <c>dotnet build</c> of a plugin
/// project produces), or <c>X.dll</c> in a folder named <c>X</c>. Other DLLs in the folder are the plugin's dependencies.
/// </remarks>
internal static class PluginFolders
{
    /// <summary>The full paths of the plugin assemblies under <paramref name="folders"/>, each once, in search order.</summary>
    /// <param name="folders">Folders to search in order.</param>
    /// <param name="requiredCount">How many of the first folders may be missing silently (the default folder); later missing folders are faults.</param>
    /// <param name="faults">Receives a fault for each missing folder that was asked for explicitly.</param>
    public static IReadOnlyList<string> FindAssemblies(IReadOnlyList<string> folders, int requiredCount, List<PluginFault> faults)
    {
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < folders.Count; i++)
        {
            var folder = Path.GetFullPath(folders[i]);
            if (!Directory.Exists(folder))
            {
                if (i >= requiredCount) faults.Add(new PluginFault(folder, "plugin folder does not exist"));
                continue;
            }
            var assemblies = AssembliesIn(folder);
            if (assemblies.Count == 0)
                assemblies = Directory.GetDirectories(folder).Order(StringComparer.Ordinal).SelectMany(AssembliesIn).ToList();
            found.AddRange(assemblies.Where(seen.Add));
        }
        return found;
    }

    private static List<string> AssembliesIn(string folder)
    {
        string folderName = Path.GetFileName(folder);
        return Directory.GetFiles(folder, "*.dll")
            .Where(dll =>
            {
                string stem = Path.GetFileNameWithoutExtension(dll);
                return !SharedAssemblies.IsContract(stem) &&
                       (stem == folderName || File.Exists(Path.Combine(folder, stem + ".deps.json")));
            })
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
