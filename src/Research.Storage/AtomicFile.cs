using System.Text;

namespace Research.Storage;

/// <summary>
/// Writes files complete-or-absent: the content goes to a hidden temporary file in the same folder, is forced to disk,
/// and is published by one rename over the destination (then the folder is synced). A reader sees the old file or the
/// new one, never a part; a failure or a crash leaves the old file and no temporary behind (a crash's temporary is
/// removed by the next process that writes into the folder). Errors name the destination, never the temporary file.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Starts writing <paramref name="path"/>: write to <see cref="AtomicFileWriter.Stream"/>, then <see cref="AtomicFileWriter.Commit"/>.</summary>
    /// <exception cref="StorageException">The path is a folder, a parent is a file, or the temporary file cannot be created.</exception>
    public static AtomicFileWriter Create(string path) => new(path);

    /// <summary>Replaces <paramref name="path"/> with what <paramref name="write"/> writes into the stream.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        using var writer = Create(path);
        write(writer.Stream);
        writer.Commit();
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var writer = Create(path);
        writer.Stream.Write(bytes);
        writer.Commit();
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> in UTF-8 (no byte-order mark).</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Utf8.GetBytes(text));

    /// <summary>Replaces <paramref name="path"/> with <paramref name="lines"/>, each ended by <c>\n</c>, in UTF-8.</summary>
    public static void WriteAllLines(string path, IEnumerable<string> lines) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, Utf8, 1 << 16, leaveOpen: true) { NewLine = "\n" };
        foreach (var line in lines) writer.WriteLine(line);
    });

    /// <summary>Renames <paramref name="source"/> to <paramref name="destination"/> in one step, replacing it, and syncs the folder.</summary>
    public static void Move(string source, string destination)
    {
        string from = System.IO.Path.GetFullPath(source), to = System.IO.Path.GetFullPath(destination);
        try
        {
            FileOperations.Before(FileOperation.Rename, to);
            File.Move(from, to, overwrite: true);
            FileOperations.Before(FileOperation.SyncDirectory, to);
            NativeFiles.SyncDirectory(System.IO.Path.GetDirectoryName(to)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StorageException.From(e, to, null, $"cannot move '{from}' here");
        }
    }

    /// <summary>Deletes <paramref name="path"/> if it exists (one unlink, which is atomic for a file).</summary>
    public static void Delete(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) return;
        try
        {
            FileOperations.Before(FileOperation.Delete, full);
            File.Delete(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StorageException.From(e, full, null, "cannot delete");
        }
    }
}

/// <summary>A file being written under a temporary name; <see cref="Commit"/> publishes it, disposing without committing discards it.</summary>
public sealed class AtomicFileWriter : IDisposable
{
    private readonly string _temporary;
    private readonly string _folder;
    private readonly bool _inPlace;
    private FileStream? _file;
    private GuardedStream? _stream;

    internal AtomicFileWriter(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(Path)) throw new StorageException(Path, "is a folder; give a file name");
        _folder = Folders.EnsureParent(Path);
        _inPlace = TempNames.IsInsideWorkInProgress(Path);
        if (!_inPlace) StaleFiles.CleanOnce(_folder);
        _temporary = _inPlace ? Path : TempNames.Temporary(Path);
        try
        {
            FileOperations.Before(FileOperation.CreateFile, Path);
            _file = new FileStream(_temporary, _inPlace ? FileMode.Create : FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StorageException.From(e, Path, _temporary, "cannot write");
        }
        _stream = new GuardedStream(_file, this);
    }

    /// <summary>The destination.</summary>
    public string Path { get; }

    /// <summary>Where the content goes (readable and seekable, for formats such as zip that go back to patch headers).</summary>
    public Stream Stream => _stream ?? throw new ObjectDisposedException(Path);

    /// <summary>Forces the content to disk and renames it over the destination in one step.</summary>
    /// <exception cref="StorageException">The content could not be written or published; the destination is unchanged and the temporary file is gone.</exception>
    public void Commit()
    {
        var file = _file ?? throw new ObjectDisposedException(Path);
        bool published = false;
        try
        {
            if (_inPlace)
            {
                // Inside a folder being written: the folder's commit syncs and publishes this file with the rest.
                file.Dispose();
                _file = null;
                _stream = null;
                return;
            }
            FileOperations.Before(FileOperation.SyncFile, Path);
            file.Flush(flushToDisk: true);
            file.Dispose();
            _file = null;
            _stream = null;
            FileOperations.Before(FileOperation.Rename, Path);
            File.Move(_temporary, Path, overwrite: true);
            published = true;
            FileOperations.Before(FileOperation.SyncDirectory, Path);
            NativeFiles.SyncDirectory(_folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!published) Discard();
            throw Failure(e);
        }
    }

    /// <summary>Discards the temporary file unless <see cref="Commit"/> published it.</summary>
    public void Dispose()
    {
        if (_file is null) return;
        Discard();
    }

    internal StorageException Failure(Exception e) => StorageException.From(e, Path, _temporary, "cannot write");

    private void Discard()
    {
        try
        {
            _file?.Dispose();
        }
        catch (IOException)
        {
            // Flushing the rest failed (the disk is full); the file is deleted below either way.
        }
        _file = null;
        _stream = null;
        try
        {
            if (File.Exists(_temporary))
            {
                FileOperations.Before(FileOperation.Delete, Path);
                File.Delete(_temporary);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The next process to write here removes it (StaleFiles).
        }
    }
}
