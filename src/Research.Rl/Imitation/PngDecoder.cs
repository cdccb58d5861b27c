using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Research.Rl.Imitation;

/// <summary>A decoded 8-bit image: <c>Height × Width × Channels</c> bytes, row-major.</summary>
internal sealed record DecodedImage(int Width, int Height, int Channels, byte[] Pixels);

/// <summary>
/// Decodes the PNGs expert recordings use: 8-bit greyscale, RGB or RGBA, not interlaced, any of the five row filters.
/// Checks every chunk's CRC-32.
/// </summary>
internal static class PngDecoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Decodes <paramref name="file"/>'s bytes; <paramref name="name"/> is used in error messages.</summary>
    public static DecodedImage Decode(ReadOnlySpan<byte> file, string name)
    {
        if (file.Length < Signature.Length || !file[..Signature.Length].SequenceEqual(Signature))
            throw new InvalidDataException($"{name}: not a PNG file (bad signature).");
        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        int position = Signature.Length;
        while (true)
        {
            if (position + 12 > file.Length) throw new InvalidDataException($"{name}: truncated PNG (no IEND chunk).");
            int length = BinaryPrimitives.ReadInt32BigEndian(file[position..]);
            if (length < 0 || position + 12L + length > file.Length) throw new InvalidDataException($"{name}: truncated PNG chunk at byte {position}.");
            var typeAndData = file.Slice(position + 4, 4 + length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(file[(position + 8 + length)..]);
            if (Crc32.HashToUInt32(typeAndData) != stored) throw new InvalidDataException($"{name}: CRC mismatch in the chunk at byte {position}.");
            var type = typeAndData[..4];
            var data = typeAndData[4..];
            position += 12 + length;
            if (type.SequenceEqual("IHDR"u8))
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                channels = data[9] switch { 0 => 1, 2 => 3, 6 => 4, _ => 0 };
                if (data[8] != 8 || channels == 0 || data[12] != 0 || width <= 0 || height <= 0)
                    throw new InvalidDataException($"{name}: unsupported PNG (bit depth {data[8]}, colour type {data[9]}, interlace {data[12]}); expected 8-bit greyscale, RGB or RGBA, not interlaced.");
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                compressed.Write(data);
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                break;
            }
        }
        if (channels == 0) throw new InvalidDataException($"{name}: PNG without an IHDR chunk.");
        return new DecodedImage(width, height, channels, Unfilter(name, compressed, width, height, channels));
    }

    private static byte[] Unfilter(string name, MemoryStream compressed, int width, int height, int channels)
    {
        int stride = width * channels;
        var raw = new byte[(long)(stride + 1) * height];
        compressed.Position = 0;
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            try
            {
                zlib.ReadExactly(raw);
            }
            catch (EndOfStreamException)
            {
                throw new InvalidDataException($"{name}: the image data is shorter than {width}x{height}x{channels}.");
            }
        }

        var pixels = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[y * (stride + 1)];
            var source = raw.AsSpan(y * (stride + 1) + 1, stride);
            var row = pixels.AsSpan(y * stride, stride);
            var above = y == 0 ? Span<byte>.Empty : pixels.AsSpan((y - 1) * stride, stride);
            for (int x = 0; x < stride; x++)
            {
                int left = x >= channels ? row[x - channels] : 0;
                int up = above.IsEmpty ? 0 : above[x];
                int upLeft = above.IsEmpty || x < channels ? 0 : above[x - channels];
                int predictor = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) >> 1,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"{name}: unknown PNG row filter {filter} in row {y}."),
                };
                row[x] = (byte)(source[x] + predictor);
            }
        }
        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
