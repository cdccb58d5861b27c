using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Research.Abstractions.Options;

namespace Research.Tune;

/// <summary>Reads a sweep spec from YAML (or JSON, which is YAML); every error names the file, the key and the nearest valid key.</summary>
public static class SpecLoader
{
    private static readonly string[] TopLevelKeys =
    [
        "name", "algorithm", "env", "config", "num_samples", "seed", "stop", "metric", "mode",
        "max_concurrent", "checkpoint", "max_failures", "output", "trial_threads", "scheduler", "search", "executor",
    ];

    private static readonly string[] CheckpointKeys = ["frequency", "at_end", "keep", "score"];

    private static readonly string[] DomainKeys = ["grid_search", "choice", "uniform", "loguniform", "randint"];

    /// <summary>Reads and checks the spec in <paramref name="path"/> (the factory checks are <see cref="SpecValidator"/>'s).</summary>
    public static SweepSpec LoadFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Sweep spec '{path}' does not exist.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads and checks a spec from YAML text; <paramref name="source"/> names it in errors.</summary>
    public static SweepSpec Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new SpecException(source, "(document)", $"not valid YAML at line {e.Start.Line}: {e.Message}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new SpecException(source, "(document)", "the spec must be a map of keys (name, algorithm, env, config, stop, …)");

        var map = (Dictionary<string, object?>)YamlValues.ToPlain(root)!;
        foreach (var key in map.Keys)
            if (!TopLevelKeys.Contains(key)) throw Unknown(source, key, "", key, TopLevelKeys);

        var defaults = new SweepSpec { Name = "", Algorithm = "", Env = "" };
        var spec = new SweepSpec
        {
            Source = source,
            Name = RequiredString(map, "name", source),
            Algorithm = RequiredString(map, "algorithm", source),
            Env = RequiredString(map, "env", source),
            Config = map.TryGetValue("config", out var config) ? ParseConfig(config, source, "config") : defaults.Config,
            NumSamples = Int(map, "num_samples", source) ?? defaults.NumSamples,
            Seed = Int(map, "seed", source),
            Stop = map.TryGetValue("stop", out var stop) ? ParseStop(stop, source) : defaults.Stop,
            Metric = OptionalString(map, "metric", source),
            Mode = map.TryGetValue("mode", out var mode) ? ParseMode(mode, source, "mode") : defaults.Mode,
            MaxConcurrent = Int(map, "max_concurrent", source) ?? defaults.MaxConcurrent,
            Checkpoint = map.TryGetValue("checkpoint", out var checkpoint) ? ParseCheckpoint(checkpoint, source) : defaults.Checkpoint,
            MaxFailures = Int(map, "max_failures", source) ?? defaults.MaxFailures,
            Output = OptionalString(map, "output", source) ?? defaults.Output,
            TrialThreads = Int(map, "trial_threads", source) ?? defaults.TrialThreads,
            Scheduler = map.TryGetValue("scheduler", out var scheduler) ? ParseSchedulerSpec(scheduler, source) : defaults.Scheduler,
            Search = map.TryGetValue("search", out var search)
                ? ParseSection(search, source, "search", "a searcher name (grid, random, tpe) or a map with type and options", (t, o) => new SearchSpec(t, o))
                : defaults.Search,
            Executor = map.TryGetValue("executor", out var executor)
                ? ParseSection(executor, source, "executor", "an executor name (local, slurm) or a map with type and options", (t, o) => new ExecutorSpec(t, o))
                : defaults.Executor,
        };
        SpecValidator.CheckShape(spec);
        return spec;
    }

    /// <summary>Parses <c>max</c>/<c>min</c>.</summary>
    public static OptimizationMode ParseMode(object? value, string source, string key) => value switch
    {
        "max" => OptimizationMode.Max,
        "min" => OptimizationMode.Min,
        _ => throw new SpecException(source, key, $"'{value}' is not a mode; use 'max' or 'min'"),
    };

    private static IReadOnlyDictionary<string, object?> ParseConfig(object? value, string source, string path)
    {
        if (value is not Dictionary<string, object?> map)
            throw new SpecException(source, path, "must be a map of hyperparameter names to values");
        var result = new Dictionary<string, object?>();
        foreach (var (key, item) in map)
        {
            string keyPath = $"{path}.{key}";
            if (item is Dictionary<string, object?> inner && inner.Keys.Any(DomainKeys.Contains))
                result[key] = ParseDomain(inner, source, keyPath);
            else if (item is Dictionary<string, object?> nested)
                result[key] = ParseConfig(nested, source, keyPath);
            else
                result[key] = item;
        }
        return result;
    }

    /// <summary>The search domain <paramref name="value"/> spells (a map with one of grid_search, choice, uniform, loguniform, randint), or null when it is none.</summary>
    /// <exception cref="SpecException">The map names a domain but its values are wrong.</exception>
    public static SearchDomain? AsDomain(object? value, string source, string path) => value switch
    {
        SearchDomain domain => domain,
        Dictionary<string, object?> map when map.Keys.Any(DomainKeys.Contains) => ParseDomain(map, source, path),
        IReadOnlyDictionary<string, object?> map when map.Keys.Any(DomainKeys.Contains) => ParseDomain(map.ToDictionary(), source, path),
        _ => null,
    };

    /// <summary><c>scheduler: asha</c> or <c>scheduler: {type: asha, max_t: 100, …}</c>; the options are checked by <see cref="SchedulerFactory"/>.</summary>
    private static SchedulerSpec ParseSchedulerSpec(object? value, string source) => ParseSection(value, source, "scheduler",
        "a scheduler name (fifo, asha, hyperband, median_stopping_rule, pbt, pbt_replay) or a map with type and options",
        (type, options) => new SchedulerSpec(type, options));

    /// <summary>A section given as a bare type name or as a map with <c>type</c> and options.</summary>
    private static T ParseSection<T>(object? value, string source, string key, string expected, Func<string, Dictionary<string, object?>, T> make)
    {
        switch (value)
        {
            case string type when type.Length > 0:
                return make(type, []);
            case Dictionary<string, object?> map:
                if (!map.TryGetValue("type", out var raw) || raw is not string { Length: > 0 } name)
                    throw new SpecException(source, $"{key}.type", $"is required: {expected}");
                return make(name, map.Where(kv => kv.Key != "type").ToDictionary(kv => kv.Key, kv => kv.Value));
            default:
                throw new SpecException(source, key, $"must be {expected}, got {Describe(value)}");
        }
    }

    private static SearchDomain ParseDomain(Dictionary<string, object?> map, string source, string path)
    {
        if (map.Count != 1)
        {
            var extra = map.Keys.First(k => !DomainKeys.Contains(k));
            throw Unknown(source, $"{path}.{extra}", $"{path}.", extra, DomainKeys,
                "a search domain is a map with exactly one of grid_search, choice, uniform, loguniform, randint");
        }
        var (kind, raw) = map.First();
        string key = $"{path}.{kind}";
        if (raw is not List<object?> values)
            throw new SpecException(source, key, $"must be a list, got {Describe(raw)}");
        if (kind is "uniform" or "loguniform" or "randint" && values.Count != 2)
            throw new SpecException(source, key, $"needs exactly two bounds [low, high], got {values.Count} values");
        SearchDomain domain = kind switch
        {
            "grid_search" => new GridSearch(values),
            "choice" => new Choice(values),
            "uniform" => new Uniform(Number(values, 0, source, key), Number(values, 1, source, key)),
            "loguniform" => new LogUniform(Number(values, 0, source, key), Number(values, 1, source, key)),
            _ => new RandInt(Integer(values, 0, source, key), Integer(values, 1, source, key)),
        };
        return domain.Problem() is { } problem ? throw new SpecException(source, key, problem) : domain;
    }

    private static IReadOnlyDictionary<string, double> ParseStop(object? value, string source)
    {
        if (value is not Dictionary<string, object?> map)
            throw new SpecException(source, "stop", "must be a map of result keys to thresholds (for example timesteps_total: 100000)");
        var result = new Dictionary<string, double>();
        foreach (var (key, item) in map)
            result[key] = item is long or double ? Convert.ToDouble(item, CultureInfo.InvariantCulture)
                : throw new SpecException(source, $"stop.{key}", $"threshold must be a number, got {Describe(item)}");
        return result;
    }

    private static CheckpointPolicy ParseCheckpoint(object? value, string source)
    {
        if (value is not Dictionary<string, object?> map)
            throw new SpecException(source, "checkpoint", "must be a map with frequency, at_end, keep, score");
        foreach (var key in map.Keys)
            if (!CheckpointKeys.Contains(key)) throw Unknown(source, $"checkpoint.{key}", "checkpoint.", key, CheckpointKeys);
        var defaults = new CheckpointPolicy();
        return new CheckpointPolicy
        {
            Frequency = Int(map, "frequency", source, "checkpoint.") ?? defaults.Frequency,
            AtEnd = map.TryGetValue("at_end", out var atEnd)
                ? atEnd as bool? ?? throw new SpecException(source, "checkpoint.at_end", $"must be true or false, got {Describe(atEnd)}")
                : defaults.AtEnd,
            Keep = Int(map, "keep", source, "checkpoint."),
            Score = OptionalString(map, "score", source, "checkpoint."),
        };
    }

    private static string RequiredString(Dictionary<string, object?> map, string key, string source) =>
        OptionalString(map, key, source) ?? throw new SpecException(source, key, "is required");

    private static string? OptionalString(Dictionary<string, object?> map, string key, string source, string prefix = "") =>
        !map.TryGetValue(key, out var value) || value is null ? null
            : value is string s && s.Length > 0 ? s
            : throw new SpecException(source, prefix + key, $"must be a non-empty string, got {Describe(value)}");

    private static int? Int(Dictionary<string, object?> map, string key, string source, string prefix = "") =>
        !map.TryGetValue(key, out var value) || value is null ? null
            : value is long l && l is >= int.MinValue and <= int.MaxValue ? (int)l
            : throw new SpecException(source, prefix + key, $"must be an integer, got {Describe(value)}");

    private static double Number(List<object?> values, int index, string source, string key) =>
        values[index] is long or double ? Convert.ToDouble(values[index], CultureInfo.InvariantCulture)
            : throw new SpecException(source, key, $"bound {index} must be a number, got {Describe(values[index])}");

    private static long Integer(List<object?> values, int index, string source, string key) =>
        values[index] is long l ? l
            : throw new SpecException(source, key, $"bound {index} must be an integer, got {Describe(values[index])}");

    private static SpecException Unknown(string source, string key, string prefix, string name, IEnumerable<string> valid, string? note = null)
    {
        var nearest = OptionsBinder.Nearest(name, valid);
        var hint = nearest is not null ? $"did you mean '{prefix}{nearest}'?" : $"valid keys: {string.Join(", ", valid)}";
        return new SpecException(source, key, $"unknown key; {hint}" + (note is null ? "" : $" ({note})"));
    }

    internal static string Describe(object? value) => value switch
    {
        null => "nothing",
        string s => $"'{s}'",
        List<object?> l => $"a list of {l.Count}",
        Dictionary<string, object?> => "a map",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };
}
