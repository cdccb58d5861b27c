using Research.Rl.Buffers;

namespace Research.Rl.Tests.Buffers;

public sealed class SplitMix64RandomTests
{
    [Fact]
    public void Draws_stay_in_range_cover_it_evenly_and_repeat_from_a_saved_state()
    {
        var random = new SplitMix64Random(7);
        var counts = new int[6];
        for (int i = 0; i < 60000; i++) counts[random.NextInt(6)]++;
        Assert.All(counts, c => Assert.InRange(c, 9500, 10500));

        using var state = new MemoryStream();
        random.WriteState(new BinaryWriter(state));
        var expected = Enumerable.Range(0, 10).Select(_ => random.NextInt(1000)).ToArray();
        state.Position = 0;
        var restored = new SplitMix64Random(0);
        restored.ReadState(new BinaryReader(state));
        Assert.Equal(expected, Enumerable.Range(0, 10).Select(_ => restored.NextInt(1000)));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt(0));
    }
}
