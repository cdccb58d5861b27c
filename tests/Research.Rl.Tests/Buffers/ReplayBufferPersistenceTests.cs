using Research.Rl.Buffers;

namespace Research.Rl.Tests.Buffers;

public sealed class ReplayBufferPersistenceTests
{
    private static ReplayBuffer Filled(ReplayBufferOptions options, int transitions)
    {
        var buffer = new ReplayBuffer(options);
        var random = new Random(17);
        int n = options.NumEnvs;
        for (int i = 0; i < transitions; i++)
        {
            float[] Row(int width) => Enumerable.Range(0, n * width).Select(_ => (float)random.NextDouble()).ToArray();
            bool[] Flags() => Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.3).ToArray();
            buffer.Add(Row(options.ObservationSize), Row(options.ObservationSize), Row(options.ActionSize), Row(1), Flags(), Flags());
        }
        return buffer;
    }

    private static ReplayBatch Sample(ReplayBuffer buffer)
    {
        var batch = new ReplayBatch(64, buffer.ObservationSize, buffer.ActionSize);
        buffer.Sample(batch, new SplitMix64Random(99));
        return batch;
    }

    private static void AssertSameSamples(ReplayBuffer expected, ReplayBuffer actual)
    {
        Assert.Equal((expected.Position, expected.IsFull, expected.Count), (actual.Position, actual.IsFull, actual.Count));
        var a = Sample(expected);
        var b = Sample(actual);
        Assert.Equal(a.Observations, b.Observations);
        Assert.Equal(a.NextObservations, b.NextObservations);
        Assert.Equal(a.Actions, b.Actions);
        Assert.Equal(a.Rewards, b.Rewards);
        Assert.Equal(a.Dones, b.Dones);
    }

    public static TheoryData<bool, int> Cases => new() { { false, 5 }, { false, 40 }, { true, 5 }, { true, 40 } };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Save_then_load_or_restore_gives_back_the_same_buffer(bool optimize, int transitions)
    {
        var options = new ReplayBufferOptions(30, 3, 2, NumEnvs: 2, OptimizeMemoryUsage: optimize, HandleTimeoutTermination: !optimize);
        var original = Filled(options, transitions);
        using var stream = new MemoryStream();
        original.Save(stream);

        stream.Position = 0;
        AssertSameSamples(original, ReplayBuffer.Load(stream));

        stream.Position = 0;
        var target = Filled(options, 3);
        target.Restore(stream);
        AssertSameSamples(original, target);
    }

    private static byte[] Saved()
    {
        using var stream = new MemoryStream();
        Filled(new ReplayBufferOptions(16, 2, 1), 10).Save(stream);
        return stream.ToArray();
    }

    private static string LoadError(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => ReplayBuffer.Load(new MemoryStream(bytes))).Message;

    [Fact]
    public void A_flipped_payload_byte_fails_the_checksum()
    {
        var bytes = Saved();
        bytes[60] ^= 0x10;
        Assert.Contains("checksum mismatch", LoadError(bytes));
    }

    [Fact]
    public void A_truncated_file_says_it_ends_early()
    {
        var bytes = Saved();
        Assert.Contains("ends early", LoadError(bytes[..^5]));
        Assert.Contains("ends early", LoadError(bytes[..10]));
    }

    [Fact]
    public void Wrong_magic_and_version_are_named()
    {
        var bytes = Saved();
        var badMagic = (byte[])bytes.Clone();
        badMagic[0] = (byte)'X';
        Assert.Contains("magic bytes 'RLRB'", LoadError(badMagic));
        var badVersion = (byte[])bytes.Clone();
        badVersion[4] = 9;
        Assert.Contains("format version 9 is not supported", LoadError(badVersion));
    }

    [Fact]
    public void Restoring_into_a_buffer_of_another_shape_names_both_shapes()
    {
        var target = new ReplayBuffer(new ReplayBufferOptions(16, 3, 1));
        var error = Assert.Throws<InvalidDataException>(() => target.Restore(new MemoryStream(Saved())));
        Assert.Contains("observation size 2", error.Message);
        Assert.Contains("observation size 3", error.Message);
    }
}
