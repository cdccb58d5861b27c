using System.Text.Json;

namespace Research.Tune;

/// <summary>Reads the rows of a <c>result.json</c>: one JSON object per line.</summary>
public static class ResultLine
{
    /// <summary>The numeric values of one row (booleans as 0/1), or null when the line is not a complete JSON object.</summary>
    public static Dictionary<string, double>? Numbers(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Number: values[property.Name] = property.Value.GetDouble(); break;
                    case JsonValueKind.True: values[property.Name] = 1; break;
                    case JsonValueKind.False: values[property.Name] = 0; break;
                    case JsonValueKind.Null: values[property.Name] = double.NaN; break;
                }
            }
            return values;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Every complete row of the <c>result.json</c> in <paramref name="trialDir"/> (a torn last line is skipped).</summary>
    public static IReadOnlyList<Dictionary<string, double>> ReadAll(string trialDir)
    {
        string path = Path.Combine(trialDir, TrialFiles.Results);
        if (!File.Exists(path)) return [];
        var rows = new List<Dictionary<string, double>>();
        foreach (var line in ReadLines(path))
            if (Numbers(line) is { } row) rows.Add(row);
        return rows;
    }

    /// <summary>The lines of a file another process may be appending to.</summary>
    internal static IEnumerable<string> ReadLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) yield return line;
    }
}
