namespace Research.Tests.Shared;

/// <summary>Bit-for-bit comparison of named weights (<c>GetPolicy().GetWeights()</c>), for determinism and checkpoint tests.</summary>
internal static class WeightAssert
{
    public static void Same(Dictionary<string, float[]> expected, Dictionary<string, float[]> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, values) in expected) Assert.True(values.AsSpan().SequenceEqual(actual[name]), $"weights of {name} differ");
    }
}
