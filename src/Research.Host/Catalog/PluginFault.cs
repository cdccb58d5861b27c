namespace Research.Host.Catalog;

/// <summary>A plugin file or class the host could not use, and why; the rest of the plugins load regardless.</summary>
public sealed record PluginFault(string Path, string Reason)
{
    /// <summary>One line naming the file and the reason.</summary>
    public override string ToString() => $"{Path}: {Reason}";
}
