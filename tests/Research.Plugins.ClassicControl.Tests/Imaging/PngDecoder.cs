using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using Research.Abstractions.Environments;
using Research.Abstractions.Imaging;

namespace Research.Plugins.ClassicControl.Tests.Imaging;

/// <summary>Decodes 8-bit RGB PNGs (all five filter types), checking every chunk's CRC; enough to read back what PngEncoder writes.</summary>
internal static class PngDecoder
{
    public static RgbFrame Decode(byte[] file)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, file[..8]);
        int width = 0, height = 0;
        using var compressed = new MemoryStream();
        int offset = 8;
        while (true)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(file, offset + 4, 4);
            var data = file.AsSpan(offset + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset + 8 + length));
            Assert.Equal(Crc32.HashToUInt32(file.AsSpan(offset + 4, length + 4)), crc);
            offset += 12 + length;
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                Assert.Equal(2, data[9]);
            }
            else if (type == "IDAT") compressed.Write(data);
            else if (type == "IEND") break;
        }
        compressed.Position = 0;
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var bytes = raw.ToArray();
        int stride = width * 3;
        Assert.Equal((stride + 1) * height, bytes.Length);
        var pixels = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            byte filter = bytes[y * (stride + 1)];
            for (int x = 0; x < stride; x++)
            {
                int a = x >= 3 ? pixels[y * stride + x - 3] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
                int c = x >= 3 && y > 0 ? pixels[(y - 1) * stride + x - 3] : 0;
                int value = bytes[y * (stride + 1) + 1 + x];
                value += filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, 4 => Paeth(a, b, c), _ => throw new InvalidDataException($"filter {filter}") };
                pixels[y * stride + x] = (byte)value;
            }
        }
        return new RgbFrame(width, height, pixels);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
