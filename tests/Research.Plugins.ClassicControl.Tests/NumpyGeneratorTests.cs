using System.Numerics;
using System.Text.Json;
using Research.Rl.Seeding;

namespace Research.Plugins.ClassicControl.Tests;

/// <summary>Every intermediate of NumPy's SeedSequence → PCG64 → Generator chain, against values recorded from NumPy.</summary>
public sealed class NumpyGeneratorTests
{
    public static TheoryData<string> Seeds()
    {
        using var document = Golden.Load("numpy_pcg64_seeding");
        return new(document.RootElement.GetProperty("seeds").EnumerateArray().Select(s => s.GetProperty("seed").GetString()!));
    }

    private static JsonElement Record(JsonDocument document, string seed) =>
        document.RootElement.GetProperty("seeds").EnumerateArray().Single(s => s.GetProperty("seed").GetString() == seed);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Seeding_chain_matches_NumPy(string seedText)
    {
        using var document = Golden.Load("numpy_pcg64_seeding");
        var record = Record(document, seedText);
        var seed = BigInteger.Parse(seedText);

        var words = SeedSequence.ToWords(seed);
        Assert.Equal(record.GetProperty("seed_uint32_words").EnumerateArray().Select(w => uint.Parse(w.GetString()!)), words);

        var sequence = SeedSequence.FromInteger(seed);
        Assert.Equal(record.GetProperty("seedsequence_pool_uint32").EnumerateArray().Select(w => w.GetUInt32()), sequence.Pool);

        var state = new ulong[4];
        sequence.GenerateState(state);
        Assert.Equal(record.GetProperty("generate_state_4xuint64").EnumerateArray().Select(w => ulong.Parse(w.GetString()!)), state);

        var bits = new Pcg64(sequence);
        Assert.Equal(UInt128.Parse(record.GetProperty("pcg64_initial_state_128").GetString()!), bits.State);
        Assert.Equal(UInt128.Parse(record.GetProperty("pcg64_inc_128").GetString()!), bits.Increment);

        var raw = NumpyGenerator.FromSeed(seed);
        foreach (var expected in record.GetProperty("first_8_next_uint64").EnumerateArray())
            Assert.Equal(ulong.Parse(expected.GetString()!), raw.NextUInt64());

        var doubles = NumpyGenerator.FromSeed(seed);
        foreach (var expected in record.GetProperty("first_8_next_double").EnumerateArray())
            Assert.Equal(expected.GetDouble(), doubles.NextDouble());
    }

    [Fact]
    public void Uniform_is_low_plus_range_times_next_double()
    {
        using var document = Golden.Load("numpy_pcg64_seeding");
        var first = Record(document, "0").GetProperty("first_8_next_double").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var generator = NumpyGenerator.FromSeed(0);
        var draws = new double[4];
        generator.Uniform(-0.05, 0.05, draws);
        for (int i = 0; i < 4; i++) Assert.Equal(-0.05 + (0.05 - -0.05) * first[i], draws[i]);
        Assert.Equal(0.013696168732145436, draws[0]); // CartPole-v1 reset(seed=0) state[0] in the Gymnasium recording
    }

    [Fact]
    public void Saved_state_continues_the_same_stream()
    {
        var generator = NumpyGenerator.FromSeed(12345);
        generator.NextUInt64();
        using var buffer = new MemoryStream();
        generator.WriteState(new BinaryWriter(buffer));
        var expected = Enumerable.Range(0, 5).Select(_ => generator.NextUInt64()).ToArray();
        buffer.Position = 0;
        var restored = NumpyGenerator.FromSeed(1);
        restored.ReadState(new BinaryReader(buffer));
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => restored.NextUInt64()));
    }

    [Fact]
    public void Negative_seed_is_rejected_with_the_value()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => NumpyGenerator.FromSeed(-3));
        Assert.Contains("non-negative", error.Message);
        var envError = Assert.Throws<ArgumentOutOfRangeException>(() => new CartPoleEnv().Reset(new float[4], -3));
        Assert.Contains("CartPole-v1", envError.Message);
        Assert.Contains("-3", envError.Message);
    }

    [Fact]
    public void Unseeded_generators_differ()
    {
        Assert.NotEqual(NumpyGenerator.FromEntropy().NextUInt64(), NumpyGenerator.FromEntropy().NextUInt64());
    }
}
