using System.Buffers.Binary;
using Research.Abstractions.Environments;

namespace Research.Plugins.ClassicControl.Tests.Imaging;

/// <summary>A decoded GIF: its frames, their delays and the NETSCAPE loop count (null when absent).</summary>
internal sealed record DecodedGif(int Width, int Height, IReadOnlyList<RgbFrame> Frames, IReadOnlyList<int> DelaysCentiseconds, int? LoopCount);

/// <summary>Decodes GIF87a/89a files (global or local colour tables, full-size frames, no interlacing) with a variable-width LZW decoder.</summary>
internal static class GifDecoder
{
    public static DecodedGif Decode(byte[] file)
    {
        var header = System.Text.Encoding.ASCII.GetString(file, 0, 6);
        Assert.True(header is "GIF89a" or "GIF87a", $"bad header {header}");
        int width = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(6));
        int height = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8));
        byte packed = file[10];
        int offset = 13;
        byte[]? global = null;
        if ((packed & 0x80) != 0)
        {
            int size = 3 << ((packed & 7) + 1);
            global = file[offset..(offset + size)];
            offset += size;
        }
        var frames = new List<RgbFrame>();
        var delays = new List<int>();
        int? loop = null;
        int delay = 0;
        while (true)
        {
            byte introducer = file[offset++];
            if (introducer == 0x3B) break;
            if (introducer == 0x21)
            {
                byte label = file[offset++];
                var blocks = ReadSubBlocks(file, ref offset);
                if (label == 0xF9) delay = BinaryPrimitives.ReadUInt16LittleEndian(blocks[0].AsSpan(1));
                if (label == 0xFF && System.Text.Encoding.ASCII.GetString(blocks[0]) == "NETSCAPE2.0")
                    loop = BinaryPrimitives.ReadUInt16LittleEndian(blocks[1].AsSpan(1));
                continue;
            }
            Assert.Equal(0x2C, introducer);
            int left = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(offset));
            int top = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(offset + 2));
            int frameWidth = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(offset + 4));
            int frameHeight = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(offset + 6));
            byte framePacked = file[offset + 8];
            offset += 9;
            Assert.True(left == 0 && top == 0 && frameWidth == width && frameHeight == height, "only full-size frames are supported");
            Assert.True((framePacked & 0x40) == 0, "interlaced frames are not supported");
            byte[]? palette = global;
            if ((framePacked & 0x80) != 0)
            {
                int size = 3 << ((framePacked & 7) + 1);
                palette = file[offset..(offset + size)];
                offset += size;
            }
            if (palette is null) throw new InvalidDataException("frame without a colour table");
            int minCodeSize = file[offset++];
            var data = ReadSubBlocks(file, ref offset).SelectMany(b => b).ToArray();
            var indices = Lzw(data, minCodeSize, width * height);
            var pixels = new byte[width * height * 3];
            for (int i = 0; i < indices.Length; i++)
            {
                pixels[3 * i] = palette[3 * indices[i]];
                pixels[3 * i + 1] = palette[3 * indices[i] + 1];
                pixels[3 * i + 2] = palette[3 * indices[i] + 2];
            }
            frames.Add(new RgbFrame(width, height, pixels));
            delays.Add(delay);
        }
        return new DecodedGif(width, height, frames, delays, loop);
    }

    private static List<byte[]> ReadSubBlocks(byte[] file, ref int offset)
    {
        var blocks = new List<byte[]>();
        while (file[offset] != 0)
        {
            int length = file[offset];
            blocks.Add(file[(offset + 1)..(offset + 1 + length)]);
            offset += 1 + length;
        }
        offset++;
        return blocks;
    }

    private static byte[] Lzw(byte[] data, int minCodeSize, int pixelCount)
    {
        int clear = 1 << minCodeSize, end = clear + 1;
        var prefixes = new int[4096];
        var suffixes = new byte[4096];
        var lengths = new int[4096];
        for (int i = 0; i < clear; i++) { suffixes[i] = (byte)i; lengths[i] = 1; prefixes[i] = -1; }
        var output = new List<byte>(pixelCount);
        int codeSize = minCodeSize + 1, next = end + 1, previous = -1;
        int bitPosition = 0;
        var stack = new byte[4096];
        while (true)
        {
            Assert.True(bitPosition + codeSize <= data.Length * 8, "LZW data ended without an end code");
            int code = 0;
            for (int b = 0; b < codeSize; b++, bitPosition++)
                code |= ((data[bitPosition >> 3] >> (bitPosition & 7)) & 1) << b;
            if (code == clear) { codeSize = minCodeSize + 1; next = end + 1; previous = -1; continue; }
            if (code == end) break;
            Assert.True(code <= next && (previous >= 0 || code < clear), $"invalid LZW code {code} (next {next})");
            int emit = code == next ? previous : code;
            int length = lengths[emit];
            for (int c = emit, i = length - 1; c >= 0; c = prefixes[c], i--) stack[i] = suffixes[c];
            byte first = stack[0];
            output.AddRange(stack.AsSpan(0, length));
            if (code == next) output.Add(first);
            if (previous >= 0 && next < 4096)
            {
                prefixes[next] = previous;
                suffixes[next] = first;
                lengths[next] = lengths[previous] + 1;
                next++;
                if (next == 1 << codeSize && codeSize < 12) codeSize++;
            }
            previous = code;
        }
        Assert.Equal(pixelCount, output.Count);
        return [.. output];
    }
}
