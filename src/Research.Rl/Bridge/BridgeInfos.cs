using System.Buffers.Binary;
using System.Text;

namespace Research.Rl.Bridge;

/// <summary>
/// Info sections of the protocol: per env, u16 item count, then (u8 key length, UTF-8 key, tag, value) items with tag
/// <c>?</c> (u8 bool), <c>q</c> (int64) or <c>d</c> (float64). Scalars only; everything else is left out by the writer.
/// </summary>
public static class BridgeInfos
{
    /// <summary>Finds the extent of each of <paramref name="count"/> infos starting at the beginning of <paramref name="section"/>; returns the bytes used.</summary>
    /// <exception cref="BridgeProtocolException">An info runs past the end or has an unknown tag.</exception>
    public static int Measure(ReadOnlySpan<byte> section, int count, Span<int> starts)
    {
        int offset = 0;
        for (int e = 0; e < count; e++)
        {
            starts[e] = offset;
            if (offset + 2 > section.Length) throw Malformed("an info is cut short");
            int items = BinaryPrimitives.ReadUInt16LittleEndian(section[offset..]);
            offset += 2;
            for (int k = 0; k < items; k++)
            {
                if (offset >= section.Length) throw Malformed("an info item is cut short");
                offset += 1 + section[offset];
                if (offset >= section.Length) throw Malformed("an info item is cut short");
                offset += 1 + ValueSize(section[offset]);
                if (offset > section.Length) throw Malformed("an info value is cut short");
            }
        }
        starts[count] = offset;
        return offset;
    }

    /// <summary>Reads the number stored under <paramref name="key"/> in one info (a bool is 0 or 1) without allocating.</summary>
    public static bool TryGetNumber(ReadOnlySpan<byte> info, string key, out double value)
    {
        value = 0;
        if (info.Length < 2) return false;
        int items = BinaryPrimitives.ReadUInt16LittleEndian(info);
        int offset = 2;
        for (int k = 0; k < items; k++)
        {
            int length = info[offset];
            var name = info.Slice(offset + 1, length);
            offset += 1 + length;
            byte tag = info[offset];
            var payload = info[(offset + 1)..];
            offset += 1 + ValueSize(tag);
            if (!Matches(name, key)) continue;
            value = tag switch
            {
                (byte)'?' => payload[0],
                (byte)'q' => BinaryPrimitives.ReadInt64LittleEndian(payload),
                _ => BinaryPrimitives.ReadDoubleLittleEndian(payload),
            };
            return true;
        }
        return false;
    }

    /// <summary>One info as a dictionary (bool, long or double values).</summary>
    public static Dictionary<string, object> ToDictionary(ReadOnlySpan<byte> info)
    {
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        if (info.Length < 2) return result;
        int items = BinaryPrimitives.ReadUInt16LittleEndian(info);
        int offset = 2;
        for (int k = 0; k < items; k++)
        {
            int length = info[offset];
            string key = Encoding.UTF8.GetString(info.Slice(offset + 1, length));
            offset += 1 + length;
            byte tag = info[offset];
            var payload = info[(offset + 1)..];
            offset += 1 + ValueSize(tag);
            result[key] = tag switch
            {
                (byte)'?' => payload[0] != 0,
                (byte)'q' => BinaryPrimitives.ReadInt64LittleEndian(payload),
                _ => BinaryPrimitives.ReadDoubleLittleEndian(payload),
            };
        }
        return result;
    }

    /// <summary>Bytes one info of <paramref name="info"/>'s scalar items takes (what <see cref="Write"/> writes).</summary>
    public static int SizeOf(IReadOnlyDictionary<string, object> info)
    {
        int size = 2;
        foreach (var (key, value) in info)
            if (Tag(value) is { } tag && Encoding.UTF8.GetByteCount(key) is var n && n <= 255) size += 2 + n + ValueSize(tag);
        return size;
    }

    /// <summary>Writes the scalar items of <paramref name="info"/> (bool, integers, floats); returns the bytes written.</summary>
    public static int Write(IReadOnlyDictionary<string, object> info, Span<byte> destination)
    {
        int offset = 2, items = 0;
        foreach (var (key, value) in info)
        {
            if (Tag(value) is not { } tag) continue;
            int n = Encoding.UTF8.GetByteCount(key);
            if (n > 255) continue;
            destination[offset] = (byte)n;
            Encoding.UTF8.GetBytes(key, destination[(offset + 1)..]);
            offset += 1 + n;
            destination[offset++] = tag;
            switch (value)
            {
                case bool b: destination[offset] = b ? (byte)1 : (byte)0; break;
                case double or float: BinaryPrimitives.WriteDoubleLittleEndian(destination[offset..], Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                default: BinaryPrimitives.WriteInt64LittleEndian(destination[offset..], Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            }
            offset += ValueSize(tag);
            items++;
        }
        BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)items);
        return offset;
    }

    private static byte? Tag(object value) => value switch
    {
        bool => (byte)'?',
        double or float => (byte)'d',
        int or long or short or sbyte or byte or ushort or uint => (byte)'q',
        _ => null,
    };

    private static int ValueSize(byte tag) => tag switch
    {
        (byte)'?' => 1,
        (byte)'q' or (byte)'d' => 8,
        _ => throw Malformed($"unknown info tag 0x{tag:X2}"),
    };

    private static bool Matches(ReadOnlySpan<byte> utf8, string key)
    {
        if (utf8.Length != key.Length) return utf8.Length >= key.Length && Encoding.UTF8.GetString(utf8) == key;
        for (int i = 0; i < key.Length; i++)
            if (utf8[i] != key[i]) return key[i] > 127 && Encoding.UTF8.GetString(utf8) == key;
        return true;
    }

    private static BridgeProtocolException Malformed(string reason) => new($"malformed info section: {reason}.");
}
