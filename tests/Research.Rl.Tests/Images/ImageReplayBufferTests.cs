using Research.Rl.Buffers;

namespace Research.Rl.Tests.Images;

public sealed class ImageReplayBufferTests
{
    [Fact]
    public void Replay_buffers_of_uint8_images_store_bytes_and_give_back_the_same_transitions()
    {
        var floats = new ReplayBuffer(new ReplayBufferOptions(16, 12, 1, NumEnvs: 2));
        var bytes = new ReplayBuffer(new ReplayBufferOptions(16, 12, 1, NumEnvs: 2, ByteObservations: true));
        for (int t = 0; t < 11; t++)
        {
            var obs = TestImages.Pattern(2, 12, 1, "noise").Select(v => (v + t) % 256).ToArray();
            var next = obs.Select(v => (v + 1) % 256).ToArray();
            foreach (var buffer in new[] { floats, bytes })
                buffer.Add(obs, next, [t % 3, 1], [t, -t], [t % 5 == 0, false], [false, t % 4 == 0]);
        }
        var x = new ReplayBatch(32, 12, 1);
        var y = new ReplayBatch(32, 12, 1);
        floats.Sample(x, new SplitMix64Random(3));
        bytes.Sample(y, new SplitMix64Random(3));
        Assert.Equal(x.Observations, y.Observations);
        Assert.Equal(x.NextObservations, y.NextObservations);
        Assert.Equal(x.Dones, y.Dones);

        using var stream = new MemoryStream();
        bytes.Save(stream);
        using var floatStream = new MemoryStream();
        floats.Save(floatStream);
        Assert.True(stream.Length < floatStream.Length / 2, $"{stream.Length} bytes saved with byte observations, {floatStream.Length} with floats");
        stream.Position = 0;
        var loaded = ReplayBuffer.Load(stream);
        Assert.True(loaded.Options.ByteObservations);
        var z = new ReplayBatch(32, 12, 1);
        loaded.Sample(z, new SplitMix64Random(3));
        Assert.Equal(y.Observations, z.Observations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Observation_rows_spread_over_chunks_read_back_what_was_written(bool bytes)
    {
        // Atari's 100 000 frames of 84×84×4 are 2.8 GB even as bytes, more than one .NET array holds, so rows live in
        // chunks of at most 1 GiB; here chunks of 3 rows (100 bytes) exercise the same arithmetic.
        var rows = ObservationRows.Create(10, 7, bytes, chunkBytes: 100 / (bytes ? 4 : 1));
        var written = Enumerable.Range(0, 70).Select(i => (float)(i * 3 % 256)).ToArray();
        rows.Write(0, written.AsSpan(0, 35));
        rows.Write(5, written.AsSpan(35));
        var read = new float[70];
        for (int r = 0; r < 10; r++) rows.ReadRow(r, read.AsSpan(r * 7, 7));
        Assert.Equal(written, read);
        Assert.Equal(bytes ? 70 : 280, rows.Bytes(10).Sum(b => b.Length));
        Assert.Equal(4, rows.Bytes(10).Count());
    }
}
