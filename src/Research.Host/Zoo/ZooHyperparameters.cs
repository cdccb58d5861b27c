using System.Globalization;
using Research.Abstractions.Options;
using Research.Rl.Policies;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Research.Host.Zoo;

/// <summary>
/// Reads rl-baselines3-zoo hyperparameter files (<c>experiments/hyperparams/&lt;algo&gt;.yaml</c>): picks an environment's entry,
/// takes out <c>n_timesteps</c> (the default budget) and <c>policy</c> (only <c>MlpPolicy</c>), parses <c>policy_kwargs</c>
/// strings, and leaves everything else (including <c>n_envs</c> and <c>normalize</c>) for the factory to bind.
/// </summary>
public static class ZooHyperparameters
{
    /// <summary>The spelling that means "the zoo's own files" rather than a file path.</summary>
    public const string ZooSource = "zoo";

    /// <summary>Where the zoo's files live, relative to the repository root.</summary>
    public static readonly string RelativeFolder = Path.Combine("experiments", "hyperparams");

    private const string FloatTag = "tag:yaml.org,2002:float";

    /// <summary>The hyperparameter folder: under the current directory or one of its parents (the repository root), else next to the executable or one of its parents.</summary>
    public static string FindFolder()
    {
        var starts = new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory };
        foreach (var start in starts)
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, RelativeFolder);
                if (Directory.Exists(candidate)) return candidate;
            }
        throw new DirectoryNotFoundException(
            $"no {RelativeFolder} folder under {string.Join(" or ", starts)} or their parents; run from the repository or pass --hyperparams <file>.");
    }

    /// <summary>The file <paramref name="source"/> means for <paramref name="algorithm"/>: <c>zoo</c> is <c>&lt;folder&gt;/&lt;algo&gt;.yaml</c>, anything else a path.</summary>
    public static string FileFor(string algorithm, string source) =>
        string.Equals(source, ZooSource, StringComparison.OrdinalIgnoreCase)
            ? Path.Combine(FindFolder(), algorithm.ToLowerInvariant() + ".yaml")
            : source;

    /// <summary>The entry for <paramref name="environment"/> in the file <paramref name="source"/> means for <paramref name="algorithm"/>.</summary>
    public static ZooEntry Load(string algorithm, string environment, string source = ZooSource) =>
        Read(FileFor(algorithm, source), environment);

    /// <summary>The entry for <paramref name="environment"/> in <paramref name="file"/>; errors name the file, the entry and the key.</summary>
    public static ZooEntry Read(string file, string environment)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"{file}: no such hyperparameter file.", file);
        var entries = Entries(file);
        var match = entries.Keys.FirstOrDefault(k => k == environment)
                    ?? entries.Keys.FirstOrDefault(k => string.Equals(k, environment, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            var nearest = OptionsBinder.Nearest(environment, entries.Keys);
            throw new OptionsException($"{file} has no entry for '{environment}'" +
                (nearest is not null ? $"; did you mean '{nearest}'?" : $"; entries: {string.Join(", ", entries.Keys)}"));
        }
        var config = new Dictionary<string, object?>(StringComparer.Ordinal);
        long? timesteps = null;
        string where = $"{file} [{match}]";
        foreach (var (key, node) in entries[match].Children.Select(p => (Scalar(p.Key, file), p.Value)))
        {
            var value = Value(node, file);
            switch (key)
            {
                case "n_timesteps":
                    timesteps = Timesteps(value, where);
                    break;
                case "policy":
                    if (value is not "MlpPolicy")
                        throw new OptionsException($"{where}: policy '{value}' is not supported; only MlpPolicy (the feature extractor follows the observation space).");
                    break;
                case "policy_kwargs" when value is string text:
                    config[key] = ParsePolicyKwargs(text, where);
                    break;
                default:
                    config[key] = value;
                    break;
            }
        }
        return new ZooEntry(file, match, config, timesteps);
    }

    private static Dictionary<string, YamlMappingNode> Entries(string file)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new FormatException($"{file}:{e.Start.Line}: not valid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new FormatException($"{file}: expected a map from environment ids to hyperparameters.");
        var entries = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        foreach (var (key, value) in root.Children)
        {
            string id = Scalar(key, file);
            entries[id] = value as YamlMappingNode
                ?? throw new FormatException($"{file}:{value.Start.Line}: entry '{id}' is not a map of hyperparameters.");
        }
        return entries;
    }

    private static string Scalar(YamlNode node, string file) =>
        node is YamlScalarNode { Value: { } text } ? text : throw new FormatException($"{file}:{node.Start.Line}: expected a plain key.");

    private static object? Value(YamlNode node, string file) => node switch
    {
        YamlScalarNode scalar => ScalarValue(scalar, file),
        YamlSequenceNode sequence => sequence.Children.Select(n => Value(n, file)).ToList(),
        YamlMappingNode mapping => mapping.Children.ToDictionary(p => Scalar(p.Key, file), p => Value(p.Value, file), StringComparer.Ordinal),
        _ => throw new FormatException($"{file}:{node.Start.Line}: unsupported YAML node."),
    };

    private static object? ScalarValue(YamlScalarNode scalar, string file)
    {
        string text = scalar.Value ?? "";
        if (!scalar.Tag.IsEmpty && scalar.Tag.Value == FloatTag)
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var tagged)
                ? tagged
                : throw new FormatException($"{file}:{scalar.Start.Line}: '{text}' is tagged !!float but is not a number.");
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted) return text;
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is "true" or "True" or "TRUE") return true;
        if (text is "false" or "False" or "FALSE") return false;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return integer;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return number;
        return text;
    }

    private static long Timesteps(object? value, string where) => value switch
    {
        long n when n > 0 => n,
        double d when d > 0 && d == Math.Floor(d) && d < 9.2e18 => (long)d,
        _ => throw new OptionsException($"{where}: n_timesteps {value ?? "null"} is not a positive whole number."),
    };

    private static Dictionary<string, object?> ParsePolicyKwargs(string text, string where)
    {
        try
        {
            return PolicyKwargs.Parse(text);
        }
        catch (FormatException e)
        {
            throw new OptionsException($"{where}: policy_kwargs '{text}' does not parse: {e.Message}");
        }
    }
}
