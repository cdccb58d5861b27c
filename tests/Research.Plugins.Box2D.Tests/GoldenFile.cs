using System.Text.Json;

namespace Research.Plugins.Box2D.Tests;

/// <summary>The golden episodes tools/box2d/make_golden.py recorded from Gymnasium 0.29.1's own code on the same Box2D build.</summary>
internal static class GoldenFile
{
    private static readonly Dictionary<string, JsonDocument> Cache = new();

    public static JsonElement Episodes(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var document))
                Cache[name] = document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "golden", name + ".json")));
            return document.RootElement.GetProperty("episodes");
        }
    }

    public static JsonElement Episode(string name, int index) => Episodes(name)[index];

    public static TheoryData<int> Indices(string name) => new(Enumerable.Range(0, Episodes(name).GetArrayLength()));

    public static float[] Floats(this JsonElement array) => array.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();

    public static double[] Doubles(this JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static string Describe(this JsonElement episode) =>
        $"{episode.GetProperty("kwargs").GetRawText()} seed {episode.GetProperty("seed").GetInt32()} {episode.GetProperty("policy").GetString()}";
}
