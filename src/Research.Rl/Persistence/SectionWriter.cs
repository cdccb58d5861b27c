using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Storage;
using Research.Tensors.Io;

namespace Research.Rl.Persistence;

/// <summary>
/// Writes a file of named sections — a zip archive, so each section carries its name, its length and a CRC-32, and tools
/// list it with <c>unzip -l</c> — under a temporary name that <see cref="Commit"/> renames over the destination.
/// Model files (<c>model.zip</c>) and checkpoints (<c>checkpoint.zip</c>) are both such files.
/// </summary>
/// <remarks>Sections are written by their owners through <see cref="Root"/> or a <see cref="SectionWriter.Scope"/> of it, so no
/// owner depends on another's field order, and a composite (GAIL's PPO) writes its parts under a prefix of the same file.</remarks>
public sealed class SectionFileWriter : IDisposable
{
    private readonly AtomicFileWriter _file;
    private ZipArchive? _zip;

    private SectionFileWriter(string path)
    {
        _file = AtomicFile.Create(path);
        _zip = new ZipArchive(_file.Stream, ZipArchiveMode.Create, leaveOpen: true);
        Root = new SectionWriter(_zip, _file.Path, "", new HashSet<string>(StringComparer.Ordinal));
    }

    /// <summary>Starts a section file that <see cref="Commit"/> will put at <paramref name="path"/> (through <see cref="AtomicFile"/>).</summary>
    public static SectionFileWriter Create(string path) => new(path);

    /// <summary>Writes sections at the top level of the file.</summary>
    public SectionWriter Root { get; }

    /// <summary>Finishes the file and publishes it complete-or-absent.</summary>
    public void Commit()
    {
        var zip = _zip ?? throw new ObjectDisposedException(_file.Path);
        zip.Dispose();
        _zip = null;
        _file.Commit();
    }

    /// <summary>Abandons the file unless it was committed; the destination is untouched.</summary>
    public void Dispose()
    {
        try
        {
            _zip?.Dispose();
        }
        catch (IOException)
        {
            // The archive is being abandoned; its trailer need not be complete.
        }
        _zip = null;
        _file.Dispose();
    }
}

/// <summary>Writes named sections into a section file (see <see cref="SectionFileWriter"/>); a scope prefixes the names it writes.</summary>
public sealed class SectionWriter
{
    /// <summary>Fixed entry times (the zip format's earliest), so equal content gives equal bytes.</summary>
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ZipArchive _zip;
    private readonly string _prefix;
    private readonly HashSet<string> _written;

    internal SectionWriter(ZipArchive zip, string file, string prefix, HashSet<string> written)
    {
        _zip = zip;
        File = file;
        _prefix = prefix;
        _written = written;
    }

    /// <summary>The file being written.</summary>
    public string File { get; }

    /// <summary>A writer whose sections are named <c>&lt;prefix&gt;/&lt;name&gt;</c> inside this one's.</summary>
    public SectionWriter Scope(string prefix) => new(_zip, File, _prefix + prefix.TrimEnd('/') + "/", _written);

    /// <summary>Writes section <paramref name="name"/> with a <see cref="BinaryWriter"/>.</summary>
    public void WriteBinary(string name, Action<BinaryWriter> write) => WriteStream(name, stream =>
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        write(writer);
    });

    /// <summary>Writes section <paramref name="name"/> as a .npz archive of <paramref name="arrays"/> (NumPy reads it once extracted).</summary>
    public void WriteArrays(string name, IEnumerable<KeyValuePair<string, NpyArray>> arrays)
    {
        // Built in a seekable buffer first, so the archive has numpy.savez's layout (sizes in the headers, no data descriptors).
        using var buffer = new MemoryStream();
        NpzWriter.Write(buffer, $"{File} ({_prefix + name})", arrays);
        buffer.Position = 0;
        WriteStream(name, buffer.CopyTo, CompressionLevel.Optimal);
    }

    /// <summary>Writes section <paramref name="name"/> as indented JSON.</summary>
    public void WriteJson(string name, JsonNode node) => WriteStream(name, stream =>
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        node.WriteTo(writer);
    }, CompressionLevel.Optimal);

    /// <summary>Writes section <paramref name="name"/> from whatever <paramref name="write"/> puts in the stream (large state: a replay buffer).</summary>
    public void WriteStream(string name, Action<Stream> write, CompressionLevel level = CompressionLevel.NoCompression)
    {
        string full = _prefix + name;
        if (!_written.Add(full)) throw new InvalidOperationException($"{File}: section '{full}' is written twice.");
        var entry = _zip.CreateEntry(full, level);
        entry.LastWriteTime = EntryTime;
        using var stream = entry.Open();
        write(stream);
    }
}
