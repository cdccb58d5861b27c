using System.Text.Json;
using Research.Tensors;

namespace Research.Tests.Shared;

/// <summary>Reads golden files of the oracle scripts under tools/: a JSON object mapping names to <c>{"shape": [...], "data": [...]}</c>.</summary>
internal sealed class Golden
{
    private readonly Dictionary<string, (int[] Shape, float[] Data)> _entries = new();

    private Golden(JsonElement root, string? prefix)
    {
        foreach (var property in root.EnumerateObject())
        {
            string name = property.Name;
            if (prefix is not null)
            {
                if (!name.StartsWith(prefix + ".", StringComparison.Ordinal)) continue;
                name = name[(prefix.Length + 1)..];
            }
            var shape = property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var data = property.Value.GetProperty("data").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
            _entries[name] = (shape, data);
        }
    }

    /// <summary>The entries of <c>golden/<paramref name="file"/></c> in the test output; with <paramref name="prefix"/>, only <c>prefix.name</c> entries, named <c>name</c>.</summary>
    public static Golden Load(string file, string? prefix = null)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "golden", file)));
        return new Golden(doc.RootElement, prefix);
    }

    /// <summary>The entries of one JSON object inside a larger golden file.</summary>
    public static Golden From(JsonElement section) => new(section, null);

    /// <summary>The entry names, in file order.</summary>
    public IEnumerable<string> Names => _entries.Keys;

    public Tensor Tensor(string name)
    {
        var (shape, data) = _entries[name];
        return Research.Tensors.Tensor.FromSpan(data, shape);
    }

    public float[] Data(string name) => _entries[name].Data;

    /// <summary>Every element within 1e-5 relative to the expected array's largest magnitude (plus a tiny floor).</summary>
    public void AssertClose(string name, Tensor actual, double relative = 1e-5)
    {
        var (shape, expected) = _entries[name];
        Assert.Equal(shape, actual.Shape.ToArray());
        AssertClose(name, expected, actual.Contiguous().ToArray(), relative);
    }

    public static void AssertClose(string what, float[] expected, float[] actual, double relative = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Length == 0 ? 0 : expected.Max(v => Math.Abs((double)v));
        double tolerance = relative * Math.Max(scale, 1e-6);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - (double)actual[i]);
            Assert.True(error <= tolerance, $"{what}[{i}]: expected {expected[i]}, got {actual[i]} (error {error:G3}, tolerance {tolerance:G3}).");
        }
    }
}
