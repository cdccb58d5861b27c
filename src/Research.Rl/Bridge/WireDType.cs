using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Research.Rl.Bridge;

/// <summary>The element types arrays travel as (NumPy's names, little-endian).</summary>
public enum WireDType
{
    Float32, Float64, Float16, UInt8, Int8, Int16, Int32, Int64, UInt16, UInt32, UInt64, Bool,
}

/// <summary>Names, sizes and float conversions of <see cref="WireDType"/>.</summary>
public static class WireDTypes
{
    private static readonly (string Name, WireDType Type, int Size)[] Table =
    [
        ("float32", WireDType.Float32, 4), ("float64", WireDType.Float64, 8), ("float16", WireDType.Float16, 2),
        ("uint8", WireDType.UInt8, 1), ("int8", WireDType.Int8, 1), ("int16", WireDType.Int16, 2), ("int32", WireDType.Int32, 4),
        ("int64", WireDType.Int64, 8), ("uint16", WireDType.UInt16, 2), ("uint32", WireDType.UInt32, 4), ("uint64", WireDType.UInt64, 8),
        ("bool", WireDType.Bool, 1),
    ];

    /// <summary>The type NumPy calls <paramref name="name"/>, or null when the bridge has none.</summary>
    public static WireDType? Parse(string name) => Table.FirstOrDefault(t => t.Name == name) is { Name: not null } t ? t.Type : null;

    /// <summary>NumPy's name.</summary>
    public static string Name(this WireDType type) => Table[(int)type].Name;

    /// <summary>Bytes per element.</summary>
    public static int Size(this WireDType type) => Table[(int)type].Size;

    /// <summary>Whether the type holds whole numbers (values are rounded on the way out).</summary>
    public static bool IsInteger(this WireDType type) => type is not (WireDType.Float32 or WireDType.Float64 or WireDType.Float16);

    /// <summary>Converts <paramref name="flat"/>.Length elements of <paramref name="type"/> from <paramref name="wire"/> to float32.</summary>
    public static void Decode(this WireDType type, ReadOnlySpan<byte> wire, Span<float> flat)
    {
        switch (type)
        {
            case WireDType.Float32:
                MemoryMarshal.Cast<byte, float>(wire[..(4 * flat.Length)]).CopyTo(flat);
                return;
            case WireDType.UInt8:
                TensorPrimitives.ConvertChecked<byte, float>(wire[..flat.Length], flat);
                return;
            case WireDType.Float64:
                TensorPrimitives.ConvertTruncating<double, float>(MemoryMarshal.Cast<byte, double>(wire[..(8 * flat.Length)]), flat);
                return;
            case WireDType.Int64:
                TensorPrimitives.ConvertTruncating<long, float>(MemoryMarshal.Cast<byte, long>(wire[..(8 * flat.Length)]), flat);
                return;
        }
        for (int i = 0; i < flat.Length; i++)
            flat[i] = type switch
            {
                WireDType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(wire[(2 * i)..]),
                WireDType.Int8 => (sbyte)wire[i],
                WireDType.Bool => wire[i] != 0 ? 1f : 0f,
                WireDType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(wire[(2 * i)..]),
                WireDType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(wire[(4 * i)..]),
                WireDType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(wire[(2 * i)..]),
                WireDType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(wire[(4 * i)..]),
                WireDType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(wire[(8 * i)..]),
                _ => throw new InvalidOperationException($"dtype {type} has no decoder"),
            };
    }

    /// <summary>Converts float32 values to <paramref name="type"/> into <paramref name="wire"/>; integers are rounded to the nearest (ties to even) and saturated.</summary>
    public static void Encode(this WireDType type, ReadOnlySpan<float> flat, Span<byte> wire)
    {
        if (type == WireDType.Float32)
        {
            MemoryMarshal.AsBytes(flat).CopyTo(wire);
            return;
        }
        for (int i = 0; i < flat.Length; i++)
        {
            float v = flat[i];
            switch (type)
            {
                case WireDType.Float64: BinaryPrimitives.WriteDoubleLittleEndian(wire[(8 * i)..], v); break;
                case WireDType.Float16: BinaryPrimitives.WriteHalfLittleEndian(wire[(2 * i)..], (Half)v); break;
                case WireDType.UInt8: wire[i] = (byte)Math.Clamp(MathF.Round(v), 0, 255); break;
                case WireDType.Int8: wire[i] = (byte)(sbyte)Math.Clamp(MathF.Round(v), -128, 127); break;
                case WireDType.Bool: wire[i] = v != 0 ? (byte)1 : (byte)0; break;
                case WireDType.Int16: BinaryPrimitives.WriteInt16LittleEndian(wire[(2 * i)..], (short)Math.Clamp(MathF.Round(v), short.MinValue, short.MaxValue)); break;
                case WireDType.UInt16: BinaryPrimitives.WriteUInt16LittleEndian(wire[(2 * i)..], (ushort)Math.Clamp(MathF.Round(v), 0, ushort.MaxValue)); break;
                case WireDType.Int32: BinaryPrimitives.WriteInt32LittleEndian(wire[(4 * i)..], (int)Math.Clamp(Math.Round((double)v), int.MinValue, int.MaxValue)); break;
                case WireDType.UInt32: BinaryPrimitives.WriteUInt32LittleEndian(wire[(4 * i)..], (uint)Math.Clamp(Math.Round((double)v), 0, uint.MaxValue)); break;
                case WireDType.Int64: BinaryPrimitives.WriteInt64LittleEndian(wire[(8 * i)..], (long)Math.Round((double)v)); break;
                case WireDType.UInt64: BinaryPrimitives.WriteUInt64LittleEndian(wire[(8 * i)..], (ulong)Math.Max(0, Math.Round((double)v))); break;
            }
        }
    }
}
