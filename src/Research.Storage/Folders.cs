namespace Research.Storage;

/// <summary>Creates the folder a file or directory is written into, with errors that say which part of the path is wrong.</summary>
public static class Folders
{
    /// <summary>Creates <paramref name="directory"/> and its parents; a part of the path that is a file is named in the error.</summary>
    /// <exception cref="StorageException">The folder cannot be created.</exception>
    public static void Ensure(string directory)
    {
        string full = Path.GetFullPath(directory);
        if (Directory.Exists(full)) return;
        if (FirstFileOnPath(full) is { } file)
            throw new StorageException(full, file == full ? "is a file, not a folder" : $"'{file}' is a file, not a folder");
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StorageException.From(e, full, null, "cannot create the folder");
        }
    }

    /// <summary>The parent folder of <paramref name="fullPath"/>, created if missing.</summary>
    internal static string EnsureParent(string fullPath)
    {
        string parent = Path.GetDirectoryName(fullPath) ?? throw new StorageException(fullPath, "has no parent folder");
        if (Directory.Exists(parent)) return parent;
        if (FirstFileOnPath(parent) is { } file)
            throw new StorageException(fullPath, $"'{file}' is a file, not a folder");
        try
        {
            Directory.CreateDirectory(parent);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StorageException.From(e, fullPath, null, $"cannot create the folder '{parent}'");
        }
        return parent;
    }

    /// <summary>The first existing file among <paramref name="fullPath"/> and its ancestors, or null.</summary>
    private static string? FirstFileOnPath(string fullPath)
    {
        var ancestors = new List<string>();
        for (string? p = fullPath; !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p)) ancestors.Add(p);
        for (int i = ancestors.Count - 1; i >= 0; i--)
        {
            if (File.Exists(ancestors[i])) return ancestors[i];
            if (!Directory.Exists(ancestors[i])) return null;
        }
        return null;
    }
}
