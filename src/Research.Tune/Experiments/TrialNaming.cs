using System.Globalization;
using System.Text;

namespace Research.Tune;

/// <summary>Tune-like trial ids (<c>&lt;8 hex&gt;_&lt;index&gt;</c>) and directory names (<c>&lt;algo&gt;_&lt;env&gt;_&lt;index&gt;_&lt;key=val,…&gt;</c>).</summary>
public static class TrialNaming
{
    private const int MaxDirLength = 120;

    /// <summary>Eight hex digits that tag one experiment, from its name and search seed (stable across runs).</summary>
    public static string ExperimentTag(string name, int searchSeed)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes($"{name}\0{searchSeed}"))
            hash = (hash ^ b) * 16777619;
        return hash.ToString("x8", CultureInfo.InvariantCulture);
    }

    /// <summary>The trial's id.</summary>
    public static string TrialId(string tag, int index) => $"{tag}_{index:D5}";

    /// <summary>The trial's folder name: algorithm, env, index, then the varying config values (shortened to a safe length).</summary>
    public static string DirName(string algorithm, string env, int index, IReadOnlyDictionary<string, object?> config, IReadOnlyList<string> varyingKeys)
    {
        var values = string.Join(",", varyingKeys.Select(k => $"{k.Split('.')[^1]}={TuneJson.Short(config.GetValueOrDefault(k))}"));
        var name = $"{algorithm}_{env}_{index:D5}" + (values.Length > 0 ? "_" + values : "");
        var safe = new StringBuilder(name.Length);
        foreach (char c in name) safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '=' or ',' or '-' or '_' ? c : '_');
        return safe.Length <= MaxDirLength ? safe.ToString() : safe.ToString(0, MaxDirLength);
    }
}
