using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Research.Storage;

namespace Research.Tensors.Io;

/// <summary>Reads and writes NumPy's .npy format (header versions 1.0, 2.0 and 3.0).</summary>
public static class Npy
{
    /// <summary>Headers longer than this are refused as corrupt rather than allocated.</summary>
    private const int MaxHeaderLength = 1 << 20;

    /// <summary>Reads the array in <paramref name="path"/>; Fortran-order data comes back in C order.</summary>
    public static NpyArray Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var array = Read(stream, path, entry: null, out long consumed);
        if (stream.Length != consumed)
            throw new NpyFormatException(path, null, $"{stream.Length - consumed} unexpected bytes after the data of shape {NpyArray.FormatShape(array.Shape)}");
        return array;
    }

    /// <summary>Reads one array from <paramref name="stream"/>; <paramref name="source"/> names it in error messages.</summary>
    public static NpyArray Read(Stream stream, string source = "stream") => Read(stream, source, entry: null, out _);

    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/> atomically (a temporary file renamed into place).</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="array">The array, written in C order, little-endian.</param>
    /// <param name="version">Header version 1, 2 or 3; null picks the lowest that fits, as NumPy does.</param>
    public static void Write(string path, NpyArray array, int? version = null)
    {
        using var file = AtomicFile.Create(path);
        Write(file.Stream, array, version);
        file.Commit();
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="stream"/> byte for byte as <c>numpy.save</c> would.</summary>
    public static void Write(Stream stream, NpyArray array, int? version = null)
    {
        EnsureLittleEndianHost();
        var header = new NpyHeader(NpyDTypes.Descr(array.DType), FortranOrder: false, [.. array.Shape]);
        int chosen = version ?? header.MinimumVersion();
        if (chosen is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(version), version, "The .npy header version must be 1, 2 or 3.");
        stream.Write(header.Encode(chosen));

        // Spans are limited to int.MaxValue bytes; arrays of 8-byte elements can hold more.
        long total = (long)array.Count * NpyDTypes.SizeOf(array.DType);
        ref byte start = ref MemoryMarshal.GetArrayDataReference(array.Data);
        for (long offset = 0; offset < total; offset += 1 << 30)
        {
            int length = (int)Math.Min(1 << 30, total - offset);
            stream.Write(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref start, (nint)offset), length));
        }
    }

    /// <summary>Reads one array; <paramref name="consumed"/> is the number of bytes it took from the stream.</summary>
    internal static NpyArray Read(Stream stream, string file, string? entry, out long consumed)
    {
        EnsureLittleEndianHost();
        NpyFormatException Fail(string reason) => new(file, entry, reason);

        Span<byte> lead = stackalloc byte[8];
        int got = stream.ReadAtLeast(lead, lead.Length, throwOnEndOfStream: false);
        if (got == 0) throw Fail("file is empty, not a .npy file");
        int magicBytes = Math.Min(got, NpyMagic.Length);
        if (!lead[..magicBytes].SequenceEqual(NpyMagic.Bytes[..magicBytes]))
            throw Fail($"bad magic: not a .npy file (starts with {Convert.ToHexString(lead[..got])})");
        if (got < lead.Length) throw Fail($"file ends after {got} of 8 bytes of the magic and version");
        int major = lead[6], minor = lead[7];
        if (major is < 1 or > 3 || minor != 0) throw Fail($"unsupported format version {major}.{minor}");

        int lengthSize = major == 1 ? 2 : 4;
        Span<byte> lengthBytes = stackalloc byte[lengthSize];
        got = stream.ReadAtLeast(lengthBytes, lengthBytes.Length, throwOnEndOfStream: false);
        if (got < lengthSize) throw Fail($"file ends after {8 + got} bytes, inside the header length");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderLength) throw Fail($"header length {headerLength} is implausible (corrupt header)");

        var headerBytes = new byte[headerLength];
        got = stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false);
        if (got < headerLength) throw Fail($"header ends after {got} of {headerLength} bytes");
        NpyHeader header;
        try
        {
            var encoding = major == 3 ? new UTF8Encoding(false, throwOnInvalidBytes: true) : Encoding.Latin1;
            header = NpyHeader.Parse(encoding.GetString(headerBytes));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            throw Fail(e.Message);
        }
        if (!NpyDTypes.TryParseDescr(header.Descr, out var dtype, out bool bigEndian))
            throw Fail($"unsupported dtype '{header.Descr}' (supported: <f4 <f8 |i1 <i2 <i4 <i8 |u1 <u2 <u4 |b1, either byte order)");

        int size = NpyDTypes.SizeOf(dtype);
        long count;
        try
        {
            count = NpyArray.ElementCount(header.Shape);
        }
        catch (OverflowException)
        {
            count = long.MaxValue;
        }
        if (count > Math.Min(Array.MaxLength, int.MaxValue / size))
            throw Fail($"shape {NpyArray.FormatShape(header.Shape)} of {header.Descr} is larger than the 2 GiB one array can be read into");
        long byteCount = count * size;

        var data = Array.CreateInstance(NpyDTypes.ElementType(dtype), count);
        var bytes = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(data), (int)byteCount);
        got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (got < byteCount) throw Fail($"data ends after {got} of {byteCount} bytes");

        if (bigEndian) SwapBytes(bytes, size);
        if (dtype == NpyDType.Bool) NormalizeBools(bytes);
        if (header.FortranOrder && header.Shape.Length > 1) data = FortranToC(data, header.Shape, size);

        consumed = 8 + lengthSize + headerLength + byteCount;
        return new NpyArray(data, header.Shape);
    }

    private static void SwapBytes(Span<byte> bytes, int size)
    {
        switch (size)
        {
            case 2: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(bytes), MemoryMarshal.Cast<byte, ushort>(bytes)); break;
            case 4: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(bytes), MemoryMarshal.Cast<byte, uint>(bytes)); break;
            case 8: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(bytes), MemoryMarshal.Cast<byte, ulong>(bytes)); break;
        }
    }

    /// <summary>NumPy treats any non-zero byte as True; a .NET bool must be exactly 0 or 1.</summary>
    private static void NormalizeBools(Span<byte> bytes)
    {
        foreach (ref byte b in bytes)
            if (b > 1) b = 1;
    }

    /// <summary>Reorders elements stored first-index-fastest into C order (last index fastest).</summary>
    private static Array FortranToC(Array source, int[] shape, int size)
    {
        var result = Array.CreateInstance(source.GetType().GetElementType()!, source.Length);
        int byteCount = source.Length * size;
        var src = MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(source), byteCount);
        var dst = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(result), byteCount);

        int rank = shape.Length;
        var fortranStride = new long[rank];
        fortranStride[0] = 1;
        for (int d = 1; d < rank; d++) fortranStride[d] = fortranStride[d - 1] * shape[d - 1];

        var index = new int[rank];
        long sourceElement = 0;
        for (int n = 0; n < source.Length; n++)
        {
            src.Slice((int)(sourceElement * size), size).CopyTo(dst.Slice(n * size, size));
            // Advance the C-order index like an odometer, keeping the Fortran offset in step.
            for (int d = rank - 1; d >= 0; d--)
            {
                sourceElement += fortranStride[d];
                if (++index[d] < shape[d]) break;
                sourceElement -= fortranStride[d] * shape[d];
                index[d] = 0;
            }
        }
        return result;
    }

    private static void EnsureLittleEndianHost()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Research.Tensors.Io reads and writes .npy data in place and needs a little-endian host.");
    }
}
