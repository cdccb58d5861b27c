using System.Text;
using static Research.TensorBoard.ProtoWire;

namespace Research.TensorBoard;

/// <summary>
/// Encodes <c>Event { wall_time, step, summary { value { tag, simple_value } } }</c> straight into a span,
/// byte for byte as Google.Protobuf would, without allocating (scalars are the hot path of logging).
/// </summary>
internal static class ScalarEventEncoder
{
    private const int EventWallTime = 1, EventStep = 2, EventSummary = 5;
    private const int SummaryValue = 1;
    private const int ValueTag = 1, ValueSimpleValue = 2;

    /// <summary>The encoded size; proto3 leaves out a zero wall time and a zero step.</summary>
    public static int Length(int tagBytes, long step, double wallTime)
    {
        int value = ValueLength(tagBytes);
        int summary = 1 + VarintLength((ulong)value) + value;
        return (wallTime != 0 ? 9 : 0) + (step != 0 ? 1 + VarintLength((ulong)step) : 0) + 1 + VarintLength((ulong)summary) + summary;
    }

    /// <summary>Writes the event into <paramref name="target"/>, which must hold <see cref="Length"/> bytes.</summary>
    public static void Encode(Span<byte> target, string tag, int tagBytes, float value, long step, double wallTime)
    {
        int valueLength = ValueLength(tagBytes);
        int summaryLength = 1 + VarintLength((ulong)valueLength) + valueLength;
        int i = 0;
        if (wallTime != 0)
        {
            target[i++] = Key(EventWallTime, WireFixed64);
            WriteFixed64(target[i..], wallTime);
            i += 8;
        }
        if (step != 0)
        {
            target[i++] = Key(EventStep, WireVarint);
            i += WriteVarint(target[i..], (ulong)step);
        }
        target[i++] = Key(EventSummary, WireLengthDelimited);
        i += WriteVarint(target[i..], (ulong)summaryLength);
        target[i++] = Key(SummaryValue, WireLengthDelimited);
        i += WriteVarint(target[i..], (ulong)valueLength);
        target[i++] = Key(ValueTag, WireLengthDelimited);
        i += WriteVarint(target[i..], (ulong)tagBytes);
        i += Encoding.UTF8.GetBytes(tag, target[i..]);
        // simple_value sits in a oneof, so it is written even when zero.
        target[i++] = Key(ValueSimpleValue, WireFixed32);
        WriteFixed32(target[i..], value);
    }

    /// <summary>Tags are never empty (the writer checks), so the tag field is always present.</summary>
    private static int ValueLength(int tagBytes) => 1 + VarintLength((ulong)tagBytes) + tagBytes + 5;
}
