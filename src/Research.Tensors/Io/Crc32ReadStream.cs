namespace Research.Tensors.Io;

/// <summary>
/// A read-only pass-through stream that computes the CRC-32 (IEEE, as zip uses it) of what is read,
/// because <see cref="System.IO.Compression.ZipArchive"/> does not check entry CRCs itself.
/// Research.Tensors depends on no other project, hence its own small table.
/// </summary>
internal sealed class Crc32ReadStream(Stream inner) : Stream
{
    private static readonly uint[] Table = BuildTable();
    private uint _crc = 0xFFFFFFFFu;

    /// <summary>The CRC-32 of every byte read so far.</summary>
    public uint Crc32 => _crc ^ 0xFFFFFFFFu;

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        uint crc = _crc;
        foreach (byte b in buffer[..n]) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        _crc = crc;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
