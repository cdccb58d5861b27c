using System.Text.Json;
using Research.Rl.Seeding;

namespace Research.Rl.Tests.Seeding;

/// <summary><c>Generator.integers</c> against values recorded from NumPy (tools/box2d/make_numpy_golden.py).</summary>
public sealed class NumpyIntegersTests
{
    private static JsonDocument Load() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "golden", "numpy_integers.json")));

    [Fact]
    public void Integers_match_NumPy_for_every_recorded_seed_and_range()
    {
        using var document = Load();
        int checkedCases = 0;
        foreach (var record in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (!record.TryGetProperty("values", out var values)) continue;
            long low = record.GetProperty("low").GetInt64(), high = record.GetProperty("high").GetInt64();
            var generator = NumpyGenerator.FromSeed(record.GetProperty("seed").GetInt64());
            var expected = values.EnumerateArray().Select(v => v.GetInt64()).ToArray();
            var actual = expected.Select(_ => generator.Integers(low, high)).ToArray();
            Assert.True(expected.SequenceEqual(actual), $"seed {record.GetProperty("seed")} [{low}, {high}): expected {string.Join(",", expected)}, got {string.Join(",", actual)}");
            checkedCases++;
        }
        Assert.Equal(50, checkedCases);
    }

    [Fact]
    public void Integers_interleaved_with_doubles_keep_NumPy_s_buffered_half_word()
    {
        using var document = Load();
        foreach (var record in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (!record.TryGetProperty("interleaved", out var ops)) continue;
            var generator = NumpyGenerator.FromSeed(record.GetProperty("seed").GetInt64());
            foreach (var op in ops.EnumerateArray())
            {
                switch (op.GetProperty("op").GetString())
                {
                    case "integers":
                        Assert.Equal(op.GetProperty("value").GetInt64(), generator.Integers(op.GetProperty("low").GetInt64(), op.GetProperty("high").GetInt64()));
                        break;
                    case "random":
                        Assert.Equal(op.GetProperty("value").GetDouble(), generator.NextDouble());
                        break;
                    default:
                        Assert.Equal(op.GetProperty("value").GetDouble(), generator.Uniform(op.GetProperty("low").GetDouble(), op.GetProperty("high").GetDouble()));
                        break;
                }
            }
            bool hasBuffered = record.GetProperty("final_has_uint32").GetInt32() == 1;
            Assert.Equal(hasBuffered, generator.BitGenerator.BufferedUInt32.HasValue);
            if (hasBuffered) Assert.Equal(record.GetProperty("final_uinteger").GetUInt32(), generator.BitGenerator.BufferedUInt32!.Value);
        }
    }

    [Fact]
    public void A_range_of_one_value_draws_nothing()
    {
        var generator = NumpyGenerator.FromSeed(7);
        var untouched = NumpyGenerator.FromSeed(7);
        Assert.Equal(4, generator.Integers(4, 5));
        Assert.Equal(untouched.NextUInt64(), generator.NextUInt64());
    }

    [Fact]
    public void Saved_state_keeps_the_buffered_half_word()
    {
        var generator = NumpyGenerator.FromSeed(3);
        generator.Integers(0, 10);
        using var buffer = new MemoryStream();
        generator.WriteState(new BinaryWriter(buffer));
        var expected = Enumerable.Range(0, 6).Select(_ => generator.Integers(-9999, 9999)).ToArray();
        buffer.Position = 0;
        var restored = NumpyGenerator.FromSeed(99);
        restored.ReadState(new BinaryReader(buffer));
        Assert.Equal(expected, Enumerable.Range(0, 6).Select(_ => restored.Integers(-9999, 9999)));
    }

    [Fact]
    public void An_empty_range_is_refused_naming_both_bounds()
    {
        var error = Assert.Throws<ArgumentException>(() => NumpyGenerator.FromSeed(0).Integers(5, 5));
        Assert.Contains("low 5 must be below high 5", error.Message);
    }
}
