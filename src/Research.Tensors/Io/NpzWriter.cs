using System.IO.Compression;

namespace Research.Tensors.Io;

/// <summary>How a .npz archive stores its entries.</summary>
public enum NpzCompression
{
    /// <summary>Uncompressed, as <c>numpy.savez</c> writes.</summary>
    Stored,

    /// <summary>Deflated, as <c>numpy.savez_compressed</c> writes.</summary>
    Deflated,
}

/// <summary>
/// Writes a .npz archive entry by entry into a temporary file that <see cref="Commit"/> renames into place;
/// disposing without committing leaves any existing file untouched.
/// </summary>
public sealed class NpzWriter : IDisposable
{
    /// <summary>A fixed entry time (the zip format's earliest) so the same arrays give the same bytes.</summary>
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string _path;
    private readonly CompressionLevel _level;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private AtomicFile? _file;
    private ZipArchive? _zip;

    /// <summary>Starts an archive that will be written to <paramref name="path"/>.</summary>
    public NpzWriter(string path, NpzCompression compression = NpzCompression.Stored)
    {
        _path = path;
        _level = compression == NpzCompression.Deflated ? CompressionLevel.Optimal : CompressionLevel.NoCompression;
        _file = new AtomicFile(path);
        _zip = new ZipArchive(_file.Stream, ZipArchiveMode.Create, leaveOpen: true);
    }

    /// <summary>Adds <paramref name="array"/> as entry <c>&lt;name&gt;.npy</c>.</summary>
    public void Add(string name, NpyArray array)
    {
        var zip = _zip ?? throw new ObjectDisposedException(_path);
        ArgumentNullException.ThrowIfNull(array);
        if (string.IsNullOrEmpty(name)) throw new ArgumentException($"{_path}: an array name must not be empty.", nameof(name));
        if (!_names.Add(name)) throw new ArgumentException($"{_path}: entry '{name}' is added twice.", nameof(name));
        var entry = zip.CreateEntry(name + ".npy", _level);
        entry.LastWriteTime = EntryTime;
        using var stream = entry.Open();
        Npy.Write(stream, array);
    }

    /// <summary>Finishes the archive and renames it into place.</summary>
    public void Commit()
    {
        var file = _file ?? throw new ObjectDisposedException(_path);
        _zip!.Dispose();
        _zip = null;
        file.Commit();
        _file = null;
    }

    /// <summary>Abandons the archive unless it was committed.</summary>
    public void Dispose()
    {
        _zip?.Dispose();
        _zip = null;
        _file?.Dispose();
        _file = null;
    }

    /// <summary>Writes <paramref name="arrays"/> as a .npz archive into <paramref name="stream"/>, which stays open.</summary>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, NpyArray>> arrays, NpzCompression compression = NpzCompression.Stored)
    {
        var level = compression == NpzCompression.Deflated ? CompressionLevel.Optimal : CompressionLevel.NoCompression;
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (name, array) in arrays)
        {
            if (string.IsNullOrEmpty(name) || !names.Add(name)) throw new ArgumentException($"array name '{name}' is empty or given twice.", nameof(arrays));
            var entry = zip.CreateEntry(name + ".npy", level);
            entry.LastWriteTime = EntryTime;
            using var entryStream = entry.Open();
            Npy.Write(entryStream, array);
        }
    }

    /// <summary>Writes <paramref name="arrays"/> to <paramref name="path"/> in one go.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NpyArray>> arrays, NpzCompression compression = NpzCompression.Stored)
    {
        using var writer = new NpzWriter(path, compression);
        foreach (var (name, array) in arrays) writer.Add(name, array);
        writer.Commit();
    }
}
