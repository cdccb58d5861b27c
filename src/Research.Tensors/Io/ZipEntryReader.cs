using System.IO.Compression;

namespace Research.Tensors.Io;

/// <summary>Reads a zip entry of an untrusted archive whole, refusing one whose size is over a limit or differs from what its header declares.</summary>
public static class ZipEntryReader
{
    /// <summary>The entry's bytes; throws <see cref="InvalidDataException"/> naming <paramref name="source"/>, the entry and the reason.</summary>
    public static byte[] ReadAll(ZipArchiveEntry entry, long limit, string source)
    {
        if (entry.Length > limit)
            throw new InvalidDataException($"{source}: record '{entry.FullName}' is {entry.Length} bytes, over the limit of {limit}");
        var bytes = new byte[entry.Length];
        using var stream = entry.Open();
        int read = 0;
        while (read < bytes.Length)
        {
            int n = stream.Read(bytes, read, bytes.Length - read);
            if (n == 0) throw new InvalidDataException($"{source}: record '{entry.FullName}' is truncated ({read} of {bytes.Length} bytes)");
            read += n;
        }
        if (stream.ReadByte() >= 0) throw new InvalidDataException($"{source}: record '{entry.FullName}' holds more bytes than its header declares");
        return bytes;
    }
}
