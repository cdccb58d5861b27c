namespace Research.Tensors.Io;

/// <summary>
/// A file written under a temporary name beside its destination and renamed over it on <see cref="Commit"/>,
/// so readers never see a half-written file; disposing without committing deletes the temporary file.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private readonly string _path;
    private readonly string _tempPath;
    private FileStream? _stream;

    public AtomicFile(string path)
    {
        _path = Path.GetFullPath(path);
        _tempPath = $"{_path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        _stream = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
    }

    /// <summary>The temporary file's stream.</summary>
    public Stream Stream => _stream ?? throw new ObjectDisposedException(_path);

    /// <summary>Flushes to disk and renames the temporary file over the destination.</summary>
    public void Commit()
    {
        var stream = _stream ?? throw new ObjectDisposedException(_path);
        stream.Flush(flushToDisk: true);
        stream.Dispose();
        _stream = null;
        File.Move(_tempPath, _path, overwrite: true);
    }

    public void Dispose()
    {
        if (_stream is null) return;
        _stream.Dispose();
        _stream = null;
        File.Delete(_tempPath);
    }
}
