using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;

namespace Research.Tensors.Io;

/// <summary>
/// The arrays of a .npz file (a zip of <c>&lt;name&gt;.npy</c> entries, stored or deflated, as
/// <c>numpy.savez</c> and <c>numpy.savez_compressed</c> write them), read eagerly and keyed by name.
/// </summary>
public sealed class NpzArchive
{
    private const string EntrySuffix = ".npy";
    private readonly Dictionary<string, NpyArray> _arrays;

    private NpzArchive(string file, List<string> names, Dictionary<string, NpyArray> arrays)
    {
        File = file;
        Names = names;
        _arrays = arrays;
    }

    /// <summary>The file the archive was read from.</summary>
    public string File { get; }

    /// <summary>The array names (entry names without <c>.npy</c>) in archive order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The array called <paramref name="name"/>; throws <see cref="NpyFormatException"/> naming the file if there is none.</summary>
    public NpyArray this[string name] => TryGet(name, out var array)
        ? array
        : throw new NpyFormatException(File, name, $"no such entry (the archive has: {(Names.Count == 0 ? "nothing" : string.Join(", ", Names))})");

    /// <summary>Whether the archive has an array called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _arrays.ContainsKey(name);

    /// <summary>Looks up an array by name.</summary>
    public bool TryGet(string name, [MaybeNullWhen(false)] out NpyArray array) => _arrays.TryGetValue(name, out array);

    /// <summary>Reads every array in <paramref name="path"/>.</summary>
    public static NpzArchive Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads every array of the archive in <paramref name="stream"/> (seekable); <paramref name="path"/> names it in errors.</summary>
    public static NpzArchive Read(Stream stream, string path)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new NpyFormatException(path, null, $"not a valid .npz (zip) archive: {e.Message}", e);
        }

        using (zip)
        {
            var names = new List<string>();
            var arrays = new Dictionary<string, NpyArray>();
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(EntrySuffix, StringComparison.Ordinal))
                    throw new NpyFormatException(path, entry.FullName, "is not a .npy array (numpy.savez writes only <name>.npy entries)");
                string name = entry.FullName[..^EntrySuffix.Length];
                if (!arrays.TryAdd(name, ReadEntry(path, name, entry)))
                    throw new NpyFormatException(path, name, "appears twice in the archive");
                names.Add(name);
            }
            return new NpzArchive(path, names, arrays);
        }
    }

    private static NpyArray ReadEntry(string path, string name, ZipArchiveEntry entry)
    {
        try
        {
            using var data = new Crc32ReadStream(entry.Open());
            var array = Npy.Read(data, path, name, out long consumed);
            if (consumed != entry.Length || data.ReadByte() >= 0)
                throw new NpyFormatException(path, name, $"{entry.Length - consumed} unexpected bytes after the data of shape {NpyArray.FormatShape(array.Shape)}");
            if (data.Crc32 != entry.Crc32)
                throw new NpyFormatException(path, name, $"CRC-32 mismatch (stored {entry.Crc32:X8}, computed {data.Crc32:X8}): the entry is corrupt");
            return array;
        }
        catch (InvalidDataException e)
        {
            throw new NpyFormatException(path, name, $"corrupt entry: {e.Message}", e);
        }
    }
}
