using Google.Protobuf;
using Research.TensorBoard.Proto;

namespace Research.TensorBoard.Tests;

public class EventEncodingTests
{
    [Fact]
    public void File_version_event_matches_bytes_worked_out_by_hand()
    {
        var e = new Event { WallTime = 1.5, Step = 3, FileVersion = "brain.Event:2" };
        byte[] expected =
        [
            0x09, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F,       // field 1 (fixed64): 1.5 = 0x3FF8000000000000
            0x10, 0x03,                               // field 2 (varint): 3
            0x1A, 0x0D, .. "brain.Event:2"u8,         // field 3 (length 13)
        ];
        Assert.Equal(expected, e.ToByteArray());
    }

    [Fact]
    public void Scalar_event_matches_bytes_worked_out_by_hand()
    {
        byte[] expected =
        [
            0x09, 0, 0, 0, 0, 0, 0, 0, 0x40,          // wall_time 2.0
            0x10, 0x07,                               // step 7
            0x2A, 0x0D,                               // summary, 13 bytes
            0x0A, 0x0B,                               //   value, 11 bytes
            0x0A, 0x04, .. "loss"u8,                  //     tag
            0x15, 0x00, 0x00, 0x00, 0x3F,             //     simple_value 0.5f
        ];
        var generated = new Event { WallTime = 2.0, Step = 7, Summary = new Summary { Value = { new Summary.Types.Value { Tag = "loss", SimpleValue = 0.5f } } } };
        Assert.Equal(expected, generated.ToByteArray());
        Assert.Equal(expected, HandEncoded("loss", 0.5f, 7, 2.0));
    }

    [Theory]
    [InlineData("a", 0f, 0L, 0.0)]
    [InlineData("rollout/ep_rew_mean", -1.25f, 1_000_000L, 1_700_000_000.123)]
    [InlineData("naïve/λ", float.NaN, -5L, 1e9)]
    [InlineData("x", float.PositiveInfinity, long.MaxValue, -3.0)]
    public void Hand_encoder_matches_Google_Protobuf(string tag, float value, long step, double wallTime)
    {
        var generated = new Event { WallTime = wallTime, Step = step, Summary = new Summary { Value = { new Summary.Types.Value { Tag = tag, SimpleValue = value } } } };
        Assert.Equal(generated.ToByteArray(), HandEncoded(tag, value, step, wallTime));
    }

    [Fact]
    public void Hand_encoder_matches_Google_Protobuf_for_long_tags()
    {
        string tag = new('t', 300); // two-byte length varints at every level
        var generated = new Event { WallTime = 5, Step = 128, Summary = new Summary { Value = { new Summary.Types.Value { Tag = tag, SimpleValue = 3 } } } };
        Assert.Equal(generated.ToByteArray(), HandEncoded(tag, 3, 128, 5));
    }

    private static byte[] HandEncoded(string tag, float value, long step, double wallTime)
    {
        int tagBytes = System.Text.Encoding.UTF8.GetByteCount(tag);
        var bytes = new byte[ScalarEventEncoder.Length(tagBytes, step, wallTime)];
        ScalarEventEncoder.Encode(bytes, tag, tagBytes, value, step, wallTime);
        return bytes;
    }
}
