using System.Buffers.Binary;
using Research.Abstractions.Environments;

namespace Research.Abstractions.Imaging;

/// <summary>Writes an animated GIF89a (looping, LZW-compressed) frame by frame to a stream.</summary>
/// <remarks>
/// Each frame carries its own 256-colour table: the frame's exact colours when it has at most 256 of them (rendered
/// environments draw with a handful of flat colours, so they are stored losslessly), otherwise a fixed 6×7×6 colour cube
/// (6 levels of red and blue, 7 of green) with each pixel mapped to its nearest level.
/// </remarks>
public sealed class GifEncoder : IDisposable
{
    private const int MaxCodeBits = 12, MinCodeSize = 8, ClearCode = 1 << MinCodeSize, EndCode = ClearCode + 1;

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly int _delayCentiseconds;
    private readonly byte[] _indices;
    private readonly byte[] _palette = new byte[256 * 3];
    private readonly Dictionary<int, byte> _colorIndex = new();
    private readonly int[] _keys = new int[1 << 14];
    private readonly short[] _codes = new short[1 << 14];
    private bool _finished;

    /// <summary>Starts a GIF of <paramref name="width"/>×<paramref name="height"/> frames shown <paramref name="frameDelayMilliseconds"/> each, looping forever.</summary>
    public GifEncoder(Stream output, int width, int height, int frameDelayMilliseconds, bool leaveOpen = false)
    {
        if (width <= 0 || height <= 0 || width > ushort.MaxValue || height > ushort.MaxValue)
            throw new ArgumentException($"GifEncoder: size {width}x{height} must be between 1 and {ushort.MaxValue} on each side.");
        if (frameDelayMilliseconds < 0) throw new ArgumentOutOfRangeException(nameof(frameDelayMilliseconds), frameDelayMilliseconds, "GifEncoder: the frame delay cannot be negative.");
        _output = output;
        _leaveOpen = leaveOpen;
        Width = width;
        Height = height;
        _delayCentiseconds = Math.Min(ushort.MaxValue, (frameDelayMilliseconds + 5) / 10);
        _indices = new byte[width * height];
        WriteHeader();
    }

    /// <summary>Frame width in pixels.</summary>
    public int Width { get; }

    /// <summary>Frame height in pixels.</summary>
    public int Height { get; }

    /// <summary>Number of frames written so far.</summary>
    public int FrameCount { get; private set; }

    /// <summary>Encodes frames into a complete GIF file.</summary>
    public static byte[] Encode(IReadOnlyList<RgbFrame> frames, int frameDelayMilliseconds)
    {
        if (frames.Count == 0) throw new ArgumentException("GifEncoder: an animation needs at least one frame.", nameof(frames));
        using var buffer = new MemoryStream();
        using (var encoder = new GifEncoder(buffer, frames[0].Width, frames[0].Height, frameDelayMilliseconds, leaveOpen: true))
            foreach (var frame in frames) encoder.AddFrame(frame);
        return buffer.ToArray();
    }

    /// <summary>Appends one frame; it must have the animation's size.</summary>
    public void AddFrame(RgbFrame frame)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (frame.Width != Width || frame.Height != Height)
            throw new ArgumentException($"GifEncoder: frame {FrameCount} is {frame.Width}x{frame.Height}, expected {Width}x{Height}.", nameof(frame));
        if (!IndexExactColors(frame.Pixels)) IndexColorCube(frame.Pixels);

        Span<byte> control = [0x21, 0xF9, 4, 0, 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt16LittleEndian(control[4..], (ushort)_delayCentiseconds);
        _output.Write(control);
        Span<byte> descriptor = [0x2C, 0, 0, 0, 0, 0, 0, 0, 0, 0x80 | 7];
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[5..], (ushort)Width);
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[7..], (ushort)Height);
        _output.Write(descriptor);
        _output.Write(_palette);
        _output.WriteByte(MinCodeSize);
        WriteLzw();
        FrameCount++;
    }

    /// <summary>Writes the trailer (and closes the stream unless asked to leave it open).</summary>
    public void Dispose()
    {
        if (_finished) return;
        _finished = true;
        _output.WriteByte(0x3B);
        _output.Flush();
        if (!_leaveOpen) _output.Dispose();
    }

    private void WriteHeader()
    {
        _output.Write("GIF89a"u8);
        Span<byte> screen = stackalloc byte[7];
        BinaryPrimitives.WriteUInt16LittleEndian(screen, (ushort)Width);
        BinaryPrimitives.WriteUInt16LittleEndian(screen[2..], (ushort)Height);
        _output.Write(screen); // no global colour table: every frame has its own
        // NETSCAPE2.0 application extension: loop count 0 = forever.
        _output.Write([0x21, 0xFF, 11, .. "NETSCAPE2.0"u8, 3, 1, 0, 0, 0]);
    }

    private bool IndexExactColors(byte[] pixels)
    {
        _colorIndex.Clear();
        Array.Clear(_palette);
        for (int p = 0, i = 0; p < _indices.Length; p++, i += 3)
        {
            int rgb = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
            if (!_colorIndex.TryGetValue(rgb, out byte index))
            {
                if (_colorIndex.Count == 256) return false;
                index = (byte)_colorIndex.Count;
                _colorIndex.Add(rgb, index);
                _palette[index * 3] = pixels[i];
                _palette[index * 3 + 1] = pixels[i + 1];
                _palette[index * 3 + 2] = pixels[i + 2];
            }
            _indices[p] = index;
        }
        return true;
    }

    private void IndexColorCube(byte[] pixels)
    {
        Array.Clear(_palette);
        for (int r = 0; r < 6; r++)
            for (int g = 0; g < 7; g++)
                for (int b = 0; b < 6; b++)
                {
                    int index = (r * 7 + g) * 6 + b;
                    _palette[index * 3] = (byte)(r * 255 / 5);
                    _palette[index * 3 + 1] = (byte)(g * 255 / 6);
                    _palette[index * 3 + 2] = (byte)(b * 255 / 5);
                }
        for (int p = 0, i = 0; p < _indices.Length; p++, i += 3)
        {
            int r = (pixels[i] * 5 + 127) / 255, g = (pixels[i + 1] * 6 + 127) / 255, b = (pixels[i + 2] * 5 + 127) / 255;
            _indices[p] = (byte)((r * 7 + g) * 6 + b);
        }
    }

    /// <summary>Variable-width LZW as GIF specifies: codes start at 9 bits, grow to 12, and a clear code restarts the table when it fills.</summary>
    private void WriteLzw()
    {
        var writer = new SubBlockWriter(_output);
        Array.Fill(_keys, -1);
        int codeBits = MinCodeSize + 1, nextCode = EndCode + 1;
        writer.Write(ClearCode, codeBits);
        int prefix = _indices[0];
        for (int p = 1; p < _indices.Length; p++)
        {
            int symbol = _indices[p];
            int key = (prefix << 8) | symbol;
            int slot = Find(key);
            if (_keys[slot] >= 0)
            {
                prefix = _codes[slot];
                continue;
            }
            writer.Write(prefix, codeBits);
            if (nextCode < 1 << MaxCodeBits)
            {
                _keys[slot] = key;
                _codes[slot] = (short)nextCode;
                if (nextCode == 1 << codeBits) codeBits++;
                nextCode++;
            }
            else
            {
                writer.Write(ClearCode, codeBits);
                Array.Fill(_keys, -1);
                codeBits = MinCodeSize + 1;
                nextCode = EndCode + 1;
            }
            prefix = symbol;
        }
        writer.Write(prefix, codeBits);
        writer.Write(EndCode, codeBits);
        writer.Finish();
    }

    /// <summary>Open-addressing slot of a (prefix code, symbol) key: where it is stored, or the empty slot where it belongs.</summary>
    private int Find(int key)
    {
        int mask = _keys.Length - 1;
        int slot = (int)((uint)key * 2654435761u >> 18) & mask;
        while (_keys[slot] >= 0 && _keys[slot] != key) slot = (slot + 1) & mask;
        return slot;
    }

    /// <summary>Packs codes least-significant bit first into 255-byte data sub-blocks.</summary>
    private sealed class SubBlockWriter(Stream output)
    {
        private readonly byte[] _block = new byte[256];
        private int _count, _bitCount;
        private uint _bits;

        public void Write(int code, int width)
        {
            _bits |= (uint)code << _bitCount;
            _bitCount += width;
            while (_bitCount >= 8)
            {
                Append((byte)_bits);
                _bits >>= 8;
                _bitCount -= 8;
            }
        }

        public void Finish()
        {
            if (_bitCount > 0) Append((byte)_bits);
            Flush();
            output.WriteByte(0);
        }

        private void Append(byte value)
        {
            _block[1 + _count++] = value;
            if (_count == 255) Flush();
        }

        private void Flush()
        {
            if (_count == 0) return;
            _block[0] = (byte)_count;
            output.Write(_block, 0, _count + 1);
            _count = 0;
        }
    }
}
