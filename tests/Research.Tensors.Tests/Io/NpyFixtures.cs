using System.Text.Json;
using Research.Tensors.Io;

namespace Research.Tensors.Tests.Io;

/// <summary>The files written by tools/npy/make_fixtures.py and their manifest of expected contents.</summary>
public static class NpyFixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "npy-fixtures");

    public static string PathOf(string file) => Path.Combine(Directory, file);

    private static readonly Lazy<JsonElement> Manifest = new(() =>
        JsonDocument.Parse(File.ReadAllText(PathOf("manifest.json"))).RootElement);

    public static IEnumerable<JsonElement> Files => Manifest.Value.GetProperty("files").EnumerateArray();

    public static JsonElement File1(string file) => Files.Single(f => f.GetProperty("file").GetString() == file);

    public static JsonElement Archive(string file) =>
        Manifest.Value.GetProperty("archives").EnumerateArray().Single(a => a.GetProperty("file").GetString() == file);

    /// <summary>Checks <paramref name="array"/> against a manifest description (descr, shape, values in C order).</summary>
    public static void AssertMatches(JsonElement expected, NpyArray array)
    {
        string descr = expected.GetProperty("descr").GetString()!;
        Assert.True(NpyDTypes.TryParseDescr(descr, out var dtype, out _), descr);
        Assert.Equal(dtype, array.DType);
        Assert.Equal(expected.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), array.Shape);
        var values = expected.GetProperty("values").EnumerateArray().ToArray();
        Assert.Equal(values.Length, array.Count);
        for (int i = 0; i < values.Length; i++)
        {
            var v = values[i];
            switch (array.Data)
            {
                case float[] f: Assert.Equal(ExpectedDouble(v), (double)f[i]); break;
                case double[] d: Assert.Equal(ExpectedDouble(v), d[i]); break;
                case bool[] b: Assert.Equal(v.GetInt32() != 0, b[i]); break;
                default: Assert.Equal(v.GetInt64(), array.AsInt64()[i]); break;
            }
        }
    }

    private static double ExpectedDouble(JsonElement v) => v.ValueKind == JsonValueKind.String
        ? v.GetString() switch
        {
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            var s => throw new FormatException($"manifest value '{s}'"),
        }
        : v.GetDouble();
}
