using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using Research.Abstractions.Environments;

namespace Research.Abstractions.Imaging;

/// <summary>Encodes an <see cref="RgbFrame"/> as a PNG (8-bit RGB, zlib-compressed, no filtering).</summary>
public static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Returns the PNG file bytes of <paramref name="frame"/>.</summary>
    public static byte[] Encode(RgbFrame frame)
    {
        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, frame.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], frame.Height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // colour type: truecolour
        WriteChunk(output, "IHDR"u8, header);

        using (var raw = new MemoryStream())
        {
            using (var zlib = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
            {
                int stride = frame.Width * 3;
                for (int y = 0; y < frame.Height; y++)
                {
                    zlib.WriteByte(0); // filter type None
                    zlib.Write(frame.Pixels, y * stride, stride);
                }
            }
            WriteChunk(output, "IDAT"u8, raw.GetBuffer().AsSpan(0, (int)raw.Length));
        }
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        var hash = new Crc32();
        hash.Append(type);
        hash.Append(data);
        uint crc = hash.GetCurrentHashAsUInt32();
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }
}
