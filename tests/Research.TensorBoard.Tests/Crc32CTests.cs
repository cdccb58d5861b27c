namespace Research.TensorBoard.Tests;

public class Crc32CTests
{
    [Fact]
    public void Check_value_of_123456789() => Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));

    /// <summary>The iSCSI test vectors of RFC 3720 appendix B.4.</summary>
    [Fact]
    public void Rfc3720_vectors()
    {
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));
    }

    [Fact]
    public void Every_length_agrees_with_a_bitwise_reference()
    {
        var data = Enumerable.Range(0, 40).Select(i => (byte)(i * 73 + 11)).ToArray();
        for (int n = 0; n <= data.Length; n++) Assert.Equal(Bitwise(data.AsSpan(0, n)), Crc32C.Compute(data.AsSpan(0, n)));
    }

    [Fact]
    public void Masking_is_TFRecords_rotation_plus_constant_and_inverts()
    {
        // 0xE3069283 rotated right by 15 is 0x2507C60D; plus 0xA282EAD8 is 0xC78AB0E5.
        Assert.Equal(0xC78AB0E5u, Crc32C.Mask(0xE3069283u));
        foreach (uint crc in new[] { 0u, 1u, 0xFFFFFFFFu, 0xE3069283u, 0x12345678u })
        {
            Assert.NotEqual(crc, Crc32C.Mask(crc));
            Assert.Equal(crc, Crc32C.Unmask(Crc32C.Mask(crc)));
        }
    }

    private static uint Bitwise(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }
}
