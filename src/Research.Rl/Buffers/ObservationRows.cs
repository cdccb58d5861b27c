using System.Buffers;
using System.Runtime.InteropServices;

namespace Research.Rl.Buffers;

/// <summary>
/// Fixed-width rows of observations in chunks of at most 1 GiB, so a buffer may hold more than one .NET array can
/// (Atari's 100 000 frames of 84×84×4 are 2.8 GB even as bytes); as float32, or as bytes for 8-bit images.
/// </summary>
internal abstract class ObservationRows
{
    private const long DefaultChunkBytes = 1L << 30;

    protected ObservationRows(int rows, int width, int elementSize, long chunkBytes)
    {
        Rows = rows;
        Width = width;
        RowsPerChunk = (int)Math.Clamp(chunkBytes / ((long)width * elementSize), 1, rows);
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Values per row.</summary>
    public int Width { get; }

    /// <summary>Rows per chunk.</summary>
    protected int RowsPerChunk { get; }

    /// <summary>Creates the store: bytes when <paramref name="bytes"/> (values must be whole numbers 0…255), else float32; chunks of at most <paramref name="chunkBytes"/>.</summary>
    public static ObservationRows Create(int rows, int width, bool bytes, long chunkBytes = DefaultChunkBytes) =>
        bytes ? new ByteRows(rows, width, chunkBytes) : new FloatRows(rows, width, chunkBytes);

    /// <summary>Writes consecutive rows starting at <paramref name="row"/> (<c>values.Length</c> is a multiple of <see cref="Width"/>).</summary>
    public void Write(int row, ReadOnlySpan<float> values)
    {
        for (int k = 0; k < values.Length / Width; k++) WriteRow(row + k, values.Slice(k * Width, Width));
    }

    /// <summary>Writes one row.</summary>
    public abstract void WriteRow(int row, ReadOnlySpan<float> values);

    /// <summary>Reads one row into <paramref name="destination"/>.</summary>
    public abstract void ReadRow(int row, Span<float> destination);

    /// <summary>The raw bytes of the first <paramref name="rows"/> rows, chunk by chunk (what the saved format holds).</summary>
    public abstract IEnumerable<Memory<byte>> Bytes(int rows);

    protected int ChunkCount => (Rows + RowsPerChunk - 1) / RowsPerChunk;

    protected int RowsInChunk(int chunk) => Math.Min(RowsPerChunk, Rows - chunk * RowsPerChunk);

    private sealed class FloatRows : ObservationRows
    {
        private readonly float[][] _chunks;

        public FloatRows(int rows, int width, long chunkBytes) : base(rows, width, sizeof(float), chunkBytes)
        {
            _chunks = new float[ChunkCount][];
            for (int c = 0; c < _chunks.Length; c++) _chunks[c] = new float[(long)RowsInChunk(c) * width];
        }

        public override void WriteRow(int row, ReadOnlySpan<float> values) => values.CopyTo(Slot(row));

        public override void ReadRow(int row, Span<float> destination) => Slot(row).CopyTo(destination);

        public override IEnumerable<Memory<byte>> Bytes(int rows)
        {
            for (int c = 0; c < _chunks.Length && rows > 0; c++)
            {
                int take = Math.Min(rows, RowsInChunk(c));
                foreach (var block in FloatBytes(_chunks[c], take * Width)) yield return block;
                rows -= take;
            }
        }

        private Span<float> Slot(int row) => _chunks[row / RowsPerChunk].AsSpan(row % RowsPerChunk * Width, Width);
    }

    private sealed class ByteRows : ObservationRows
    {
        private readonly byte[][] _chunks;

        public ByteRows(int rows, int width, long chunkBytes) : base(rows, width, sizeof(byte), chunkBytes)
        {
            _chunks = new byte[ChunkCount][];
            for (int c = 0; c < _chunks.Length; c++) _chunks[c] = new byte[(long)RowsInChunk(c) * width];
        }

        public override void WriteRow(int row, ReadOnlySpan<float> values)
        {
            var slot = Slot(row);
            for (int k = 0; k < slot.Length; k++) slot[k] = (byte)Math.Clamp(MathF.Round(values[k]), 0f, 255f);
        }

        public override void ReadRow(int row, Span<float> destination)
        {
            var slot = Slot(row);
            for (int k = 0; k < slot.Length; k++) destination[k] = slot[k];
        }

        public override IEnumerable<Memory<byte>> Bytes(int rows)
        {
            for (int c = 0; c < _chunks.Length && rows > 0; c++)
            {
                int take = Math.Min(rows, RowsInChunk(c));
                yield return _chunks[c].AsMemory(0, take * Width);
                rows -= take;
            }
        }

        private Span<byte> Slot(int row) => _chunks[row / RowsPerChunk].AsSpan(row % RowsPerChunk * Width, Width);
    }

    /// <summary>The first <paramref name="length"/> values of <paramref name="array"/> as their little-endian bytes (no copy).</summary>
    public static IEnumerable<Memory<byte>> FloatBytes(float[] array, int length)
    {
        yield return new FloatMemory(array, length).Memory;
    }

    private sealed class FloatMemory(float[] array, int length) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(array.AsSpan(0, length));
        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();
        public override void Unpin() { }
        protected override void Dispose(bool disposing) { }
    }
}
