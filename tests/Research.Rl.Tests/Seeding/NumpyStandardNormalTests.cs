using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using Research.Rl.Seeding;

namespace Research.Rl.Tests.Seeding;

/// <summary><see cref="NumpyGenerator.StandardNormal()"/> against draws NumPy wrote (tools/numpy/make_normal_golden.py).</summary>
public sealed class NumpyStandardNormalTests
{
    private static JsonDocument Load() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "golden", "numpy_standard_normal.json")));

    public static TheoryData<string> Seeds()
    {
        using var document = Load();
        return new(document.RootElement.GetProperty("seeds").EnumerateArray().Select(s => s.GetProperty("seed").GetString()!));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void First_draws_equal_NumPy_bit_for_bit(string seed)
    {
        using var document = Load();
        var record = document.RootElement.GetProperty("seeds").EnumerateArray().Single(s => s.GetProperty("seed").GetString() == seed);
        var expected = record.GetProperty("first_64").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var generator = NumpyGenerator.FromSeed(BigInteger.Parse(seed));
        var draws = new double[expected.Length];
        generator.StandardNormal(draws);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(draws[i]),
                $"seed {seed}, draw {i}: NumPy {expected[i]:R}, ours {draws[i]:R}");
    }

    [Fact]
    public void Two_million_draws_hash_to_NumPy_s_and_leave_the_stream_where_NumPy_leaves_it()
    {
        using var document = Load();
        var bulk = document.RootElement.GetProperty("bulk");
        int count = bulk.GetProperty("count").GetInt32();
        var generator = NumpyGenerator.FromSeed(BigInteger.Parse(bulk.GetProperty("seed").GetString()!));
        var draws = new double[count];
        generator.StandardNormal(draws);
        var bytes = new byte[count * sizeof(double)];
        for (int i = 0; i < count; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), draws[i]);
        // The sum and the largest magnitude locate a disagreement before the hash confirms there is none.
        Assert.Equal(bulk.GetProperty("max_abs").GetDouble(), draws.Max(Math.Abs));
        Assert.Equal(UInt128.Parse(bulk.GetProperty("state_after").GetString()!), generator.BitGenerator.State);
        Assert.Equal(bulk.GetProperty("sha256_float64_le").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void Uniform_and_normal_draws_share_one_stream_as_in_NumPy()
    {
        using var document = Load();
        var mixed = document.RootElement.GetProperty("mixed");
        var generator = NumpyGenerator.FromSeed(BigInteger.Parse(mixed.GetProperty("seed").GetString()!));
        var uniform = new double[9];
        generator.Uniform(-0.1, 0.1, uniform);
        var normal = new double[9];
        generator.StandardNormal(normal);
        var after = new double[2];
        generator.Uniform(0, 1, after);
        Assert.Equal(mixed.GetProperty("uniform_-0.1_0.1_9").EnumerateArray().Select(e => e.GetDouble()), uniform);
        Assert.Equal(mixed.GetProperty("standard_normal_9").EnumerateArray().Select(e => e.GetDouble()), normal);
        Assert.Equal(mixed.GetProperty("uniform_0_1_2").EnumerateArray().Select(e => e.GetDouble()), after);
    }

    [Fact]
    public void Drawing_allocates_nothing()
    {
        var generator = NumpyGenerator.FromSeed(5);
        Span<double> draws = stackalloc double[64];
        generator.StandardNormal(draws);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) generator.StandardNormal(draws);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
