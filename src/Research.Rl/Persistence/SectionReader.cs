using System.IO.Compression;
using System.Text.Json;
using Research.Rl.Algorithms;
using Research.Tensors.Io;

namespace Research.Rl.Persistence;

/// <summary>
/// Reads a section file written by <see cref="SectionFileWriter"/>. A missing section, one read past its end or not to its end,
/// and (with <see cref="EnsureAllRead"/>) a section nobody read are <see cref="ModelFormatException"/>s naming the file and the section.
/// </summary>
public sealed class SectionReader : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly Stream? _owned;
    private readonly string _prefix;
    private readonly HashSet<string> _read;

    private SectionReader(ZipArchive zip, Stream? owned, string file, string prefix, HashSet<string> read)
    {
        _zip = zip;
        _owned = owned;
        File = file;
        _prefix = prefix;
        _read = read;
    }

    /// <summary>The file being read.</summary>
    public string File { get; }

    /// <summary>Opens <paramref name="path"/>; a missing file or one that is not a section file (zip) is a <see cref="ModelFormatException"/>.</summary>
    public static SectionReader Open(string path)
    {
        if (!System.IO.File.Exists(path)) throw new ModelFormatException($"{path}: no such file.");
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return new SectionReader(new ZipArchive(stream, ZipArchiveMode.Read), stream, path, "", new HashSet<string>(StringComparer.Ordinal));
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new ModelFormatException($"{path}: not a model file or checkpoint (corrupt or not a zip archive): {e.Message}", e);
        }
    }

    /// <summary>A reader of the sections named <c>&lt;prefix&gt;/…</c> inside this one's, sharing the file.</summary>
    public SectionReader Scope(string prefix) => new(_zip, null, File, _prefix + prefix.TrimEnd('/') + "/", _read);

    /// <summary>Whether section <paramref name="name"/> exists.</summary>
    public bool Contains(string name) => _zip.GetEntry(_prefix + name) is not null;

    /// <summary>Whether any section's name starts with <paramref name="prefix"/> (within this scope).</summary>
    public bool ContainsAny(string prefix) => _zip.Entries.Any(e => e.FullName.StartsWith(_prefix + prefix, StringComparison.Ordinal));

    /// <summary>Reads section <paramref name="name"/> with a <see cref="BinaryReader"/>; it must be read exactly to its end.</summary>
    public T ReadBinary<T>(string name, Func<BinaryReader, T> read) => ReadStream(name, stream =>
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        var value = read(reader);
        if (stream.ReadByte() >= 0)
            throw new ModelFormatException($"{File}: section '{_prefix + name}' has more data than this build reads (written by another version?).");
        return value;
    });

    /// <summary>Reads section <paramref name="name"/> with a <see cref="BinaryReader"/>; it must be read exactly to its end.</summary>
    public void ReadBinary(string name, Action<BinaryReader> read) => ReadBinary(name, reader =>
    {
        read(reader);
        return true;
    });

    /// <summary>The arrays of section <paramref name="name"/> (a .npz archive), by name.</summary>
    public Dictionary<string, NpyArray> ReadArrays(string name) => ReadStream(name, stream =>
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        try
        {
            var archive = NpzArchive.Read(copy, $"{File} ({_prefix + name})");
            return archive.Names.ToDictionary(n => n, n => archive[n], StringComparer.Ordinal);
        }
        catch (NpyFormatException e)
        {
            throw new ModelFormatException($"{File}: section '{_prefix + name}' is corrupt: {e.Message}", e);
        }
    });

    /// <summary>The JSON of section <paramref name="name"/>.</summary>
    public JsonElement ReadJson(string name) => ReadStream(name, stream =>
    {
        try
        {
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{File}: section '{_prefix + name}' is not valid JSON: {e.Message}", e);
        }
    });

    /// <summary>Hands section <paramref name="name"/>'s stream to <paramref name="read"/>; failures name the file and the section.</summary>
    public T ReadStream<T>(string name, Func<Stream, T> read)
    {
        string full = _prefix + name;
        var entry = _zip.GetEntry(full) ?? throw new ModelFormatException(
            $"{File}: missing section '{full}' (the file has: {string.Join(", ", _zip.Entries.Select(e => e.FullName))}).");
        _read.Add(full);
        try
        {
            using var stream = entry.Open();
            return read(stream);
        }
        catch (EndOfStreamException e)
        {
            throw new ModelFormatException($"{File}: section '{full}' is truncated.", e);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException($"{File}: section '{full}' is corrupt: {e.Message}", e);
        }
    }

    /// <summary>Throws naming the first section under <paramref name="prefix"/> (of this scope) that nobody read: a file of another algorithm or a newer version.</summary>
    public void EnsureAllRead(string prefix = "")
    {
        var unknown = _zip.Entries.Select(e => e.FullName)
            .FirstOrDefault(n => n.StartsWith(_prefix + prefix, StringComparison.Ordinal) && !_read.Contains(n));
        if (unknown is not null)
            throw new ModelFormatException($"{File}: unknown section '{unknown}' (written by another algorithm or a newer version?).");
    }

    /// <summary>Closes the file (scopes share it and do nothing here).</summary>
    public void Dispose()
    {
        if (_owned is null) return;
        _zip.Dispose();
        _owned.Dispose();
    }
}
