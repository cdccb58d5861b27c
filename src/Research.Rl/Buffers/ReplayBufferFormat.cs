using System.Buffers.Binary;
using System.IO.Hashing;

namespace Research.Rl.Buffers;

/// <summary>
/// The binary layout of a saved <see cref="ReplayBuffer"/>: a fixed header (magic <c>RLRB</c>, format version, options,
/// position, fill state, slots stored; from version 2 a flag for byte observations), the stored slots of every array as
/// little-endian float32 (observations as bytes when the buffer stores them so), and a CRC-32 of all of it. Version 1 files
/// (float observations only) still load.
/// </summary>
internal static class ReplayBufferFormat
{
    private const int Version = 2;
    private const int Version1HeaderSize = 4 + 4 + 4 * 4 + 1 + 1 + 4 + 1 + 4;
    private const int HeaderSize = Version1HeaderSize + 1;
    private static ReadOnlySpan<byte> Magic => "RLRB"u8;

    public static void Write(ReplayBuffer buffer, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        EnsureLittleEndian();
        var options = buffer.Options;
        int slots = StoredSlots(buffer);
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], options.BufferSize);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], options.ObservationSize);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], options.ActionSize);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], options.NumEnvs);
        header[24] = options.OptimizeMemoryUsage ? (byte)1 : (byte)0;
        header[25] = options.HandleTimeoutTermination ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(header[26..], buffer.Position);
        header[30] = buffer.IsFull ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(header[31..], slots);
        header[35] = options.ByteObservations ? (byte)1 : (byte)0;
        stream.Write(header);
        var crc = new Crc32();
        crc.Append(header);

        foreach (var block in Blocks(buffer, slots))
        {
            stream.Write(block.Span);
            crc.Append(block.Span);
        }
        Span<byte> trailer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc.GetCurrentHashAsUInt32());
        stream.Write(trailer);
    }

    public static ReplayBuffer Read(Stream stream)
    {
        var header = ReadHeader(stream);
        return ReadPayload(stream, header);
    }

    public static void ReadInto(ReplayBuffer target, Stream stream)
    {
        var header = ReadHeader(stream);
        var expected = target.Options;
        var found = header.Options;
        if (found != expected)
            throw new InvalidDataException(
                $"Saved replay buffer does not match this one: saved {Describe(found)}; this buffer has {Describe(expected)}.");
        var loaded = ReadPayload(stream, header);
        int slots = StoredSlots(loaded);
        foreach (var (source, destination) in Blocks(loaded, slots).Zip(Blocks(target, slots)))
            source.CopyTo(destination);
        target.Position = loaded.Position;
        target.IsFull = loaded.IsFull;
    }

    private static ReplayBuffer ReadPayload(Stream stream, Header header)
    {
        ReplayBuffer buffer;
        try
        {
            buffer = new ReplayBuffer(header.Options);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Saved replay buffer is corrupt: its options are invalid ({e.Message})", e);
        }
        if (header.Position >= buffer.Capacity)
            throw Corrupt($"position {header.Position} is outside the {buffer.Capacity} slots");
        buffer.Position = header.Position;
        buffer.IsFull = header.IsFull;
        int slots = StoredSlots(buffer);
        if (header.StoredSlots != slots)
            throw Corrupt($"it claims {header.StoredSlots} stored slots where position {header.Position} (full: {header.IsFull}) implies {slots}");

        var crc = header.Crc;
        foreach (var block in Blocks(buffer, slots))
        {
            ReadExactly(stream, block.Span);
            crc.Append(block.Span);
        }
        Span<byte> trailer = stackalloc byte[4];
        ReadExactly(stream, trailer);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        uint computed = crc.GetCurrentHashAsUInt32();
        if (stored != computed)
            throw Corrupt($"checksum mismatch (stored 0x{stored:X8}, computed 0x{computed:X8})");
        return buffer;
    }

    private static Header ReadHeader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        EnsureLittleEndian();
        Span<byte> header = stackalloc byte[HeaderSize];
        ReadExactly(stream, header[..Version1HeaderSize]);
        if (!header[..4].SequenceEqual(Magic))
            throw Corrupt($"it does not start with the magic bytes 'RLRB' (found 0x{Convert.ToHexString(header[..4])})");
        int version = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (version is not (1 or Version))
            throw Corrupt($"format version {version} is not supported (this build reads versions 1 to {Version})");
        if (version == 1) header = header[..Version1HeaderSize];
        else ReadExactly(stream, header[Version1HeaderSize..]);
        int bufferSize = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        int observationSize = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        int actionSize = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        int numEnvs = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
        if (bufferSize <= 0 || observationSize <= 0 || actionSize <= 0 || numEnvs <= 0)
            throw Corrupt($"sizes must be positive (buffer_size {bufferSize}, observation {observationSize}, action {actionSize}, n_envs {numEnvs})");
        bool byteObservations = version > 1 && header[35] == 1;
        if (header[24] > 1 || header[25] > 1 || header[30] > 1 || (version > 1 && header[35] > 1))
            throw Corrupt("a flag byte is neither 0 nor 1");
        var options = new ReplayBufferOptions(bufferSize, observationSize, actionSize, numEnvs, header[24] == 1, header[25] == 1, byteObservations);
        int position = BinaryPrimitives.ReadInt32LittleEndian(header[26..]);
        if (position < 0) throw Corrupt($"position {position} is negative");
        int slots = BinaryPrimitives.ReadInt32LittleEndian(header[31..]);
        var crc = new Crc32();
        crc.Append(header);
        return new Header(options, position, header[30] == 1, slots, crc);
    }

    private static int StoredSlots(ReplayBuffer buffer) =>
        buffer.IsFull ? buffer.Capacity
        // With shared observation storage the slot at the position already holds the last next observation.
        : Math.Min(buffer.Position + (buffer.Options.OptimizeMemoryUsage ? 1 : 0), buffer.Capacity);

    // The stored rows of every array as raw bytes, in file order.
    private static IEnumerable<Memory<byte>> Blocks(ReplayBuffer buffer, int slots)
    {
        int rows = slots * buffer.NumEnvs;
        foreach (var block in buffer.ObservationStore.Bytes(rows)) yield return block;
        if (buffer.NextObservationStore is { } next)
            foreach (var block in next.Bytes(rows)) yield return block;
        foreach (var (array, width) in new[] { (buffer.ActionStore, buffer.ActionSize), (buffer.RewardStore, 1), (buffer.DoneStore, 1), (buffer.TimeoutStore, 1) })
            foreach (var block in ObservationRows.FloatBytes(array, rows * width)) yield return block;
    }

    private static void ReadExactly(Stream stream, Span<byte> destination)
    {
        try
        {
            stream.ReadExactly(destination);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("Saved replay buffer is corrupt: the data ends early (truncated file).", e);
        }
    }

    private static string Describe(ReplayBufferOptions o) =>
        $"buffer_size {o.BufferSize}, observation size {o.ObservationSize}, action size {o.ActionSize}, n_envs {o.NumEnvs}, " +
        $"optimize_memory_usage {o.OptimizeMemoryUsage}, handle_timeout_termination {o.HandleTimeoutTermination}, byte observations {o.ByteObservations}";

    private static InvalidDataException Corrupt(string reason) => new($"Saved replay buffer is corrupt: {reason}.");

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("The replay buffer format stores float32 little-endian; this machine is big-endian.");
    }

    private readonly record struct Header(ReplayBufferOptions Options, int Position, bool IsFull, int StoredSlots, Crc32 Crc);
}
