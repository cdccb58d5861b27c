namespace Research.Tensors.Io;

/// <summary>The element types of a .npy array this library reads and writes (NumPy's names in the comments).</summary>
public enum NpyDType
{
    /// <summary><c>float32</c> (<c>&lt;f4</c>).</summary>
    Float32,
    /// <summary><c>float64</c> (<c>&lt;f8</c>).</summary>
    Float64,
    /// <summary><c>int8</c> (<c>|i1</c>).</summary>
    Int8,
    /// <summary><c>int16</c> (<c>&lt;i2</c>).</summary>
    Int16,
    /// <summary><c>int32</c> (<c>&lt;i4</c>).</summary>
    Int32,
    /// <summary><c>int64</c> (<c>&lt;i8</c>).</summary>
    Int64,
    /// <summary><c>uint8</c> (<c>|u1</c>).</summary>
    UInt8,
    /// <summary><c>uint16</c> (<c>&lt;u2</c>).</summary>
    UInt16,
    /// <summary><c>uint32</c> (<c>&lt;u4</c>).</summary>
    UInt32,
    /// <summary><c>bool</c> (<c>|b1</c>), one byte per element.</summary>
    Bool,
}

/// <summary>How each <see cref="NpyDType"/> maps to NumPy's type code, its size and its .NET element type.</summary>
public static class NpyDTypes
{
    private static readonly (NpyDType DType, char Kind, int Size, Type Element)[] Table =
    [
        (NpyDType.Float32, 'f', 4, typeof(float)),
        (NpyDType.Float64, 'f', 8, typeof(double)),
        (NpyDType.Int8, 'i', 1, typeof(sbyte)),
        (NpyDType.Int16, 'i', 2, typeof(short)),
        (NpyDType.Int32, 'i', 4, typeof(int)),
        (NpyDType.Int64, 'i', 8, typeof(long)),
        (NpyDType.UInt8, 'u', 1, typeof(byte)),
        (NpyDType.UInt16, 'u', 2, typeof(ushort)),
        (NpyDType.UInt32, 'u', 4, typeof(uint)),
        (NpyDType.Bool, 'b', 1, typeof(bool)),
    ];

    /// <summary>Bytes per element.</summary>
    public static int SizeOf(NpyDType dtype) => Table[(int)dtype].Size;

    /// <summary>The .NET element type of the data array (<c>float</c> for <see cref="NpyDType.Float32"/>, …).</summary>
    public static Type ElementType(NpyDType dtype) => Table[(int)dtype].Element;

    /// <summary>The little-endian descr NumPy writes for <paramref name="dtype"/> (<c>&lt;f4</c>, <c>|u1</c>, …).</summary>
    public static string Descr(NpyDType dtype)
    {
        var (_, kind, size, _) = Table[(int)dtype];
        return $"{(size == 1 ? '|' : '<')}{kind}{size}";
    }

    /// <summary>The dtype whose data arrays have element type <paramref name="elementType"/>, or null.</summary>
    public static NpyDType? FromElementType(Type elementType)
    {
        foreach (var row in Table)
            if (row.Element == elementType) return row.DType;
        return null;
    }

    /// <summary>
    /// Parses a descr such as <c>&lt;f4</c> or <c>&gt;i8</c>; returns false for anything else
    /// (structured, object, unicode, 64-bit unsigned, half floats, complex).
    /// </summary>
    public static bool TryParseDescr(string descr, out NpyDType dtype, out bool bigEndian)
    {
        dtype = default;
        bigEndian = false;
        if (descr.Length < 3 || descr[0] is not ('<' or '>' or '|')) return false;
        if (!int.TryParse(descr.AsSpan(2), System.Globalization.NumberStyles.None, null, out int size)) return false;
        foreach (var row in Table)
        {
            if (row.Kind != descr[1] || row.Size != size) continue;
            // '|' (not applicable) is only meaningful for one-byte types; NumPy never writes it otherwise.
            if (descr[0] == '|' && size != 1) return false;
            dtype = row.DType;
            bigEndian = descr[0] == '>' && size > 1;
            return true;
        }
        return false;
    }
}
