namespace Research.Host;

/// <summary>Where the host looks for plugins (bound from the <c>Plugins</c> configuration section and <c>RESEARCH_PLUGIN_PATH</c>).</summary>
public sealed class PluginHostOptions
{
    /// <summary>The environment variable listing extra plugin folders, separated by <see cref="Path.PathSeparator"/>.</summary>
    public const string EnvironmentVariable = "RESEARCH_PLUGIN_PATH";

    /// <summary>The folder of plugins shipped with the executable; each plugin in its own sub-folder.</summary>
    public string DefaultFolder { get; set; } = Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>Extra folders searched after the default one; each may be a plugin folder or contain plugin folders.</summary>
    public List<string> SearchPaths { get; set; } = [];

    /// <summary>Whether the folders in <see cref="EnvironmentVariable"/> are searched too (after <see cref="SearchPaths"/>).</summary>
    public bool UseEnvironmentVariable { get; set; } = true;

    /// <summary>Every folder to search, in order: the default folder, <see cref="SearchPaths"/>, then the environment variable's.</summary>
    public IReadOnlyList<string> AllFolders()
    {
        var folders = new List<string> { DefaultFolder };
        folders.AddRange(SearchPaths);
        if (UseEnvironmentVariable && Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value)
            folders.AddRange(value.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return folders;
    }
}
