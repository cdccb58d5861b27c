using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Research.Plugins.ClassicControl.Tests;

/// <summary>Reads the Gymnasium recordings copied into <c>golden/</c>.</summary>
internal static partial class Golden
{
    public static JsonDocument Load(string name) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "golden", name + ".json")));

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    /// <summary>Gymnasium's space repr without NumPy's column padding, e.g. <c>Box(-1.0, 1.0, (1,), float32)</c>.</summary>
    public static string NormalizeSpace(string text) => Spaces().Replace(text, " ").Replace(".0,", ",").Replace(".0)", ")");

    /// <summary>Parses the bounds out of <c>Box([low…], [high…], shape, dtype)</c>.</summary>
    public static (double[] Low, double[] High) BoxBounds(string text)
    {
        var arrays = Arrays().Matches(text);
        double[] Parse(string inner) => inner.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s switch { "inf" => double.PositiveInfinity, "-inf" => double.NegativeInfinity, _ => double.Parse(s, CultureInfo.InvariantCulture) })
            .ToArray();
        return (Parse(arrays[0].Groups[1].Value), Parse(arrays[1].Groups[1].Value));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\[([^\]]*)\]")]
    private static partial Regex Arrays();
}
