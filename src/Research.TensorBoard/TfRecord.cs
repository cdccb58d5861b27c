using System.Buffers.Binary;

namespace Research.TensorBoard;

/// <summary>
/// TFRecord framing: uint64 little-endian length, masked CRC-32C of those 8 bytes, the data,
/// masked CRC-32C of the data.
/// </summary>
public static class TfRecord
{
    /// <summary>Bytes before the data: the length and its CRC.</summary>
    public const int HeaderSize = 12;

    /// <summary>Bytes after the data: its CRC.</summary>
    public const int FooterSize = 4;

    /// <summary>Bytes a record of <paramref name="dataLength"/> bytes occupies.</summary>
    public static int FramedLength(int dataLength) => HeaderSize + dataLength + FooterSize;

    /// <summary>
    /// Frames data already placed at <c>record[HeaderSize..HeaderSize + dataLength]</c> by writing the header
    /// and footer around it, so encoders can write the payload in place without a copy.
    /// </summary>
    public static void FrameInPlace(Span<byte> record, int dataLength)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)dataLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], Crc32C.ComputeMasked(record[..8]));
        var data = record.Slice(HeaderSize, dataLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record[(HeaderSize + dataLength)..], Crc32C.ComputeMasked(data));
    }

    /// <summary>Returns <paramref name="data"/> framed as one record.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> data)
    {
        var record = new byte[FramedLength(data.Length)];
        data.CopyTo(record.AsSpan(HeaderSize));
        FrameInPlace(record, data.Length);
        return record;
    }
}
