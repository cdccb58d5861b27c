using System.Buffers.Binary;
using Google.Protobuf;
using Research.TensorBoard.Proto;

namespace Research.TensorBoard;

/// <summary>
/// Reads the events of an event file or of a run directory, checking both CRCs of every record.
/// A bad CRC or a record cut short inside the file is an <see cref="EventFileException"/>; a truncated
/// last record (a writer still running or killed mid-write) is skipped with a warning, as TensorBoard does.
/// </summary>
public static class EventFileReader
{
    /// <summary>Records longer than this are taken as a corrupt length rather than allocated.</summary>
    private const long MaxRecordLength = 1L << 30;

    /// <summary>Whether <paramref name="fileName"/> names an event file (TensorBoard's test: it contains "tfevents").</summary>
    public static bool IsEventFile(string fileName) => Path.GetFileName(fileName).Contains("tfevents", StringComparison.Ordinal);

    /// <summary>The event files directly inside <paramref name="directory"/> (one run), in name order.</summary>
    public static IReadOnlyList<string> EventFiles(string directory) =>
        [.. Directory.EnumerateFiles(directory).Where(IsEventFile).Order(StringComparer.Ordinal)];

    /// <summary>Reads a file, or every event file of a run directory in name order.</summary>
    public static IEnumerable<Event> Read(string fileOrDirectory, Action<string>? warn = null) =>
        Directory.Exists(fileOrDirectory)
            ? EventFiles(fileOrDirectory).SelectMany(file => ReadFile(file, warn))
            : ReadFile(fileOrDirectory, warn);

    /// <summary>Reads the events of one file.</summary>
    public static IEnumerable<Event> ReadFile(string path, Action<string>? warn = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        foreach (var data in ReadRecords(stream, path, warn))
        {
            Event e;
            try
            {
                e = Event.Parser.ParseFrom(data.Span);
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw new EventFileException(path, data.Offset, $"not an Event message ({ex.Message})");
            }
            yield return e;
        }
    }

    /// <summary>The payloads of the TFRecords in <paramref name="stream"/>, each with its offset.</summary>
    public static IEnumerable<RecordData> ReadRecords(Stream stream, string file, Action<string>? warn = null)
    {
        var header = new byte[TfRecord.HeaderSize];
        byte[] buffer = new byte[256];
        long offset = 0;
        while (true)
        {
            int got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (got == 0) yield break;
            if (got < header.Length)
            {
                warn?.Invoke($"{file}: skipping a truncated last record at byte {offset} ({got} of {TfRecord.HeaderSize} header bytes)");
                yield break;
            }
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
            if (Crc32C.ComputeMasked(header.AsSpan(0, 8)) != lengthCrc)
                throw new EventFileException(file, offset, "length CRC mismatch (corrupt record header)");
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (length > MaxRecordLength) throw new EventFileException(file, offset, $"record length {length} is implausible");

            int needed = (int)length + TfRecord.FooterSize;
            if (buffer.Length < needed) buffer = new byte[Math.Max(needed, 2 * buffer.Length)];
            got = stream.ReadAtLeast(buffer.AsSpan(0, needed), needed, throwOnEndOfStream: false);
            if (got < needed)
            {
                warn?.Invoke($"{file}: skipping a truncated last record at byte {offset} ({got} of {needed} bytes after the header)");
                yield break;
            }
            var data = buffer.AsMemory(0, (int)length);
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan((int)length));
            if (Crc32C.ComputeMasked(data.Span) != dataCrc)
                throw new EventFileException(file, offset, "data CRC mismatch (corrupt record)");
            yield return new RecordData(offset, data);
            offset += TfRecord.HeaderSize + needed;
        }
    }
}

/// <summary>One record's payload (valid until the next record is read) and the offset of the record in its file.</summary>
public readonly record struct RecordData(long Offset, ReadOnlyMemory<byte> Data)
{
    /// <summary>The payload bytes.</summary>
    public ReadOnlySpan<byte> Span => Data.Span;
}
