using System.Text.Json;

namespace Research.Tensors.Tests;

/// <summary>Reads the PyTorch oracle files written by tools/golden/make_golden.py.</summary>
internal sealed class Golden
{
    private readonly Dictionary<string, (int[] Shape, float[] Data)> _entries = new();

    private Golden(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "golden", file)));
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            var shape = property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var data = property.Value.GetProperty("data").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
            _entries[property.Name] = (shape, data);
        }
    }

    public static Golden Load(string file) => new(file);

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
        AssertClose(name, expected, actual.ToArray(), relative);
    }

    public static void AssertClose(string what, float[] expected, float[] actual, double relative = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Length == 0 ? 0 : expected.Max(v => Math.Abs((double)v));
        double tolerance = relative * Math.Max(scale, 1e-3);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - (double)actual[i]);
            Assert.True(error <= tolerance, $"{what}[{i}]: expected {expected[i]}, got {actual[i]} (error {error:G3}, tolerance {tolerance:G3}).");
        }
    }
}
