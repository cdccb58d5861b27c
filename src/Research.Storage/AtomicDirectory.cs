namespace Research.Storage;

/// <summary>
/// Writes and deletes directories complete-or-absent. A directory is filled under a hidden temporary name beside its
/// destination, every file in it is forced to disk, and it is published by one rename (an existing destination is
/// swapped out in the same step where Linux allows, else moved aside first). A directory is deleted by first renaming
/// it out of every listing, then removing it, so a crash never leaves a half-deleted directory under its real name.
/// </summary>
public static class AtomicDirectory
{
    /// <summary>Starts building <paramref name="path"/>: fill <see cref="AtomicDirectoryWriter.WorkingPath"/>, then <see cref="AtomicDirectoryWriter.Commit"/>.</summary>
    public static AtomicDirectoryWriter Create(string path) => new(path);

    /// <summary>Builds <paramref name="path"/> with <paramref name="fill"/>, which writes into the folder it is given, then publishes it.</summary>
    public static void Write(string path, Action<string> fill)
    {
        using var writer = Create(path);
        fill(writer.WorkingPath);
        writer.Commit();
    }

    /// <summary>Deletes <paramref name="path"/>: renamed out of listings first, then removed; false when it did not exist.</summary>
    /// <exception cref="StorageException">It could not be moved out of the listing (it is then untouched).</exception>
    public static bool Delete(string path)
    {
        string full = Path.GetFullPath(path);
        if (!Directory.Exists(full)) return false;
        string folder = Path.GetDirectoryName(full)!;
        string trash = TempNames.Deleted(full);
        try
        {
            FileOperations.Before(FileOperation.Rename, full);
            Directory.Move(full, trash);
            FileOperations.Before(FileOperation.SyncDirectory, full);
            NativeFiles.SyncDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (Directory.Exists(full)) throw StorageException.From(e, full, trash, "cannot delete");
        }
        RemoveTree(trash, full);
        return true;
    }

    /// <summary>Removes a directory that is already out of every listing; what a failure leaves is cleaned up later by <see cref="StaleFiles"/>.</summary>
    internal static void RemoveTree(string hidden, string userPath)
    {
        try
        {
            FileOperations.Before(FileOperation.Delete, userPath);
            Directory.Delete(hidden, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Hidden already; StaleFiles removes it once this process is gone.
        }
    }
}

/// <summary>A directory being filled under a temporary name; <see cref="Commit"/> publishes it, disposing without committing removes it.</summary>
public sealed class AtomicDirectoryWriter : IDisposable
{
    private readonly string _folder;
    private readonly bool _inPlace;
    private bool _done;

    internal AtomicDirectoryWriter(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        if (File.Exists(Path)) throw new StorageException(Path, "is a file; give a folder name");
        _folder = Folders.EnsureParent(Path);
        _inPlace = TempNames.IsInsideWorkInProgress(Path);
        if (!_inPlace) StaleFiles.CleanOnce(_folder);
        WorkingPath = _inPlace ? Path : TempNames.Temporary(Path);
        try
        {
            if (_inPlace && Directory.Exists(Path) && Directory.EnumerateFileSystemEntries(Path).Any())
                throw new StorageException(Path, "already holds files (inside a folder being written, a folder is written once)");
            FileOperations.Before(FileOperation.CreateDirectory, Path);
            Directory.CreateDirectory(WorkingPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StorageException.From(e, Path, WorkingPath, "cannot create");
        }
    }

    /// <summary>The destination.</summary>
    public string Path { get; }

    /// <summary>The hidden folder to fill (the destination itself when it lies inside another folder being written).</summary>
    public string WorkingPath { get; }

    /// <summary>Forces every file to disk and renames the folder into place (replacing an existing one).</summary>
    /// <exception cref="StorageException">It could not be published; the destination is unchanged and the temporary folder is gone.</exception>
    public void Commit()
    {
        if (_done) throw new ObjectDisposedException(Path);
        if (_inPlace)
        {
            // Inside a folder being written: that folder's commit syncs and publishes this one with the rest.
            _done = true;
            return;
        }
        bool published = false;
        try
        {
            FileOperations.Before(FileOperation.SyncFile, Path);
            SyncTree(WorkingPath);
            if (Directory.Exists(Path))
            {
                FileOperations.Before(FileOperation.Rename, Path);
                if (NativeFiles.TryExchange(WorkingPath, Path))
                {
                    published = true;
                    FileOperations.Before(FileOperation.SyncDirectory, Path);
                    NativeFiles.SyncDirectory(_folder);
                    _done = true;
                    AtomicDirectory.RemoveTree(WorkingPath, Path); // now the old directory
                    return;
                }
                string trash = TempNames.Deleted(Path);
                Directory.Move(Path, trash);
                try
                {
                    FileOperations.Before(FileOperation.Rename, Path);
                    Directory.Move(WorkingPath, Path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Directory.Move(trash, Path);
                    throw;
                }
                published = true;
                FileOperations.Before(FileOperation.SyncDirectory, Path);
                NativeFiles.SyncDirectory(_folder);
                _done = true;
                AtomicDirectory.RemoveTree(trash, Path);
                return;
            }
            FileOperations.Before(FileOperation.Rename, Path);
            Directory.Move(WorkingPath, Path);
            published = true;
            FileOperations.Before(FileOperation.SyncDirectory, Path);
            NativeFiles.SyncDirectory(_folder);
            _done = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!published) Dispose();
            throw StorageException.From(e, Path, WorkingPath, "cannot write");
        }
    }

    /// <summary>Removes the temporary folder unless <see cref="Commit"/> published it.</summary>
    public void Dispose()
    {
        if (_done) return;
        _done = true;
        if (Directory.Exists(WorkingPath)) AtomicDirectory.RemoveTree(WorkingPath, Path);
    }

    private static void SyncTree(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory)) NativeFiles.SyncFile(file);
        foreach (var child in Directory.EnumerateDirectories(directory)) SyncTree(child);
        NativeFiles.SyncDirectory(directory);
    }
}
