using System.Buffers.Binary;

namespace Research.TensorBoard;

/// <summary>The few protobuf wire-format primitives the hand-written scalar encoder needs.</summary>
internal static class ProtoWire
{
    public const int WireVarint = 0;
    public const int WireFixed64 = 1;
    public const int WireLengthDelimited = 2;
    public const int WireFixed32 = 5;

    /// <summary>The key byte of a field with a number below 16.</summary>
    public static byte Key(int field, int wireType) => (byte)((field << 3) | wireType);

    public static int VarintLength(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }
        return length;
    }

    public static int WriteVarint(Span<byte> target, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            target[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        target[i++] = (byte)value;
        return i;
    }

    public static void WriteFixed64(Span<byte> target, double value) => BinaryPrimitives.WriteDoubleLittleEndian(target, value);

    public static void WriteFixed32(Span<byte> target, float value) => BinaryPrimitives.WriteSingleLittleEndian(target, value);
}
