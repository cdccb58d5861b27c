using System.IO.Compression;
using Research.Storage;

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
/// Writes a .npz archive entry by entry, to a file (through <see cref="AtomicFile"/>: a temporary file that
/// <see cref="Commit"/> publishes; disposing without committing leaves any existing file untouched) or to a stream.
/// </summary>
public sealed class NpzWriter : IDisposable
{
    /// <summary>A fixed entry time (the zip format's earliest) so the same arrays give the same bytes.</summary>
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string _path;
    private readonly CompressionLevel _level;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private AtomicFileWriter? _file;
    private ZipArchive? _zip;

    /// <summary>Starts an archive that will be written to <paramref name="path"/>.</summary>
    public NpzWriter(string path, NpzCompression compression = NpzCompression.Stored)
    {
        _path = path;
        _level = Level(compression);
        _file = AtomicFile.Create(path);
        _zip = new ZipArchive(_file.Stream, ZipArchiveMode.Create, leaveOpen: true);
    }

    /// <summary>Starts an archive written into <paramref name="stream"/> (left open); <paramref name="source"/> names it in errors.</summary>
    public NpzWriter(Stream stream, string source, NpzCompression compression = NpzCompression.Stored)
    {
        _path = source;
        _level = Level(compression);
        _zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
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

    /// <summary>Finishes the archive (and, for a file, publishes it).</summary>
    public void Commit()
    {
        var zip = _zip ?? throw new ObjectDisposedException(_path);
        zip.Dispose();
        _zip = null;
        _file?.Commit();
        _file?.Dispose();
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

    /// <summary>Writes <paramref name="arrays"/> to <paramref name="path"/> in one go.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NpyArray>> arrays, NpzCompression compression = NpzCompression.Stored)
    {
        using var writer = new NpzWriter(path, compression);
        foreach (var (name, array) in arrays) writer.Add(name, array);
        writer.Commit();
    }

    /// <summary>Writes <paramref name="arrays"/> into <paramref name="stream"/> as one .npz archive.</summary>
    public static void Write(Stream stream, string source, IEnumerable<KeyValuePair<string, NpyArray>> arrays, NpzCompression compression = NpzCompression.Stored)
    {
        using var writer = new NpzWriter(stream, source, compression);
        foreach (var (name, array) in arrays) writer.Add(name, array);
        writer.Commit();
    }

    private static CompressionLevel Level(NpzCompression compression) =>
        compression == NpzCompression.Deflated ? CompressionLevel.Optimal : CompressionLevel.NoCompression;
}
