using System.Text.Json;
using Research.Abstractions.Algorithms;
using Research.Abstractions.Environments;
using Research.Abstractions.Options;
using Research.Host.Catalog;
using Research.Tune;
using Research.Rl.Policies;
using Research.Rl.VectorEnvs;

namespace Research.Host.Training;

/// <summary>
/// Builds a ready-to-train algorithm from names and one flat config map, as a sweep trial or <c>research train</c> needs:
/// algorithm options, the vector env (<c>n_envs</c> copies, sync or parallel), and <see cref="VecNormalize"/> when asked.
/// </summary>
/// <remarks>
/// Environment-level keys, taken out of the map before the rest binds onto the algorithm's options:
/// <c>normalize</c> (true/false, a map, or the zoo's Python dict string such as <c>"{'norm_obs': True, 'norm_reward': False}"</c>),
/// <c>env_kwargs</c> (the environment's options), <c>vec_env</c> (<c>sync</c>, the default, or <c>parallel</c>).
/// <c>n_envs</c> is an algorithm option and sets the number of copies. The zoo's <c>env_wrapper</c>, <c>frame_stack</c>,
/// <c>vec_env_wrapper</c> and <c>callback</c> are refused with a clear error; a string <c>policy_kwargs</c> is parsed as the zoo writes it.
/// </remarks>
public sealed class AlgorithmFactory(PluginCatalog catalog) : ITrialFactory
{
    private static readonly string[] Unsupported = ["env_wrapper", "frame_stack", "vec_env_wrapper", "callback"];

    /// <summary>Checks that <paramref name="algorithm"/> and <paramref name="env"/> exist and that <paramref name="config"/> binds, without building anything.</summary>
    public void Validate(string algorithm, string env, IReadOnlyDictionary<string, object?> config) => Plan(algorithm, env, config);

    /// <summary>Builds algorithm <paramref name="algorithm"/> on <paramref name="env"/> from <paramref name="config"/>, seeded with <paramref name="seed"/>.</summary>
    public IAlgorithm Create(string algorithm, string env, IReadOnlyDictionary<string, object?> config, int seed) =>
        Create(algorithm, env, config, (int?)seed);

    /// <summary>As <see cref="Create(string, string, IReadOnlyDictionary{string, object?}, int)"/>; a null seed keeps the config's <c>seed</c> (or none).</summary>
    public IAlgorithm Create(string algorithm, string env, IReadOnlyDictionary<string, object?> config, int? seed)
    {
        var plan = Plan(algorithm, env, config);
        var options = seed is { } s ? plan.Options with { Seed = s } : plan.Options;
        IVectorEnv vector = plan.Parallel
            ? new ParallelVectorEnv(_ => catalog.CreateEnvironment(plan.Environment, plan.EnvKwargs), options.NEnvs)
            : new SyncVectorEnv(_ => catalog.CreateEnvironment(plan.Environment, plan.EnvKwargs), options.NEnvs);
        try
        {
            if (plan.Normalize is { } normalize)
                vector = new VecNormalize(vector, normalize.ToOptions(GammaOf(options)));
            return new EnvironmentOwningAlgorithm(catalog.CreateAlgorithm(plan.Algorithm, vector, options), vector);
        }
        catch
        {
            vector.Dispose();
            throw;
        }
    }

    private TrainingPlan Plan(string algorithm, string env, IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var algorithmEntry = catalog.Get<AlgorithmEntry>(algorithm);
        var envEntry = catalog.Get<EnvironmentEntry>(env);
        var rest = new Dictionary<string, object?>(StringComparer.Ordinal);
        var envKwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        var normalizeMap = new Dictionary<string, object?>(StringComparer.Ordinal);
        bool normalize = false, parallel = false;
        foreach (var (key, value) in config)
        {
            int dot = key.IndexOf('.');
            string head = ConfigMaps.Normalize(dot > 0 ? key[..dot] : key);
            string? sub = dot > 0 ? key[(dot + 1)..] : null;
            if (Unsupported.FirstOrDefault(u => ConfigMaps.Normalize(u) == head) is { } unsupported)
                throw new OptionsException($"config key '{key}' ({unsupported}) is not supported by {algorithmEntry.Name} training here; remove it (supported environment keys: normalize, env_kwargs, vec_env, n_envs).");
            switch (head)
            {
                case "envkwargs" when sub is not null:
                    envKwargs[sub] = value;
                    break;
                case "envkwargs":
                    foreach (var (k, v) in ConfigMaps.AsMap(value) ?? throw new OptionsException($"config key '{key}': expected a map of {envEntry.Name}'s options, got {Show(value)}"))
                        envKwargs[k] = v;
                    break;
                case "normalize" when sub is not null:
                    normalize = true;
                    normalizeMap[sub] = value;
                    break;
                case "normalize":
                    normalize = ReadNormalize(key, value, normalizeMap);
                    break;
                case "vecenv":
                    parallel = ReadVecEnv(key, value);
                    break;
                case "policykwargs" when sub is null && Text(value) is { } text:
                    rest[key] = ParsePolicyKwargs(key, text);
                    break;
                default:
                    rest[key] = value;
                    break;
            }
        }
        RefuseOptionsOfOtherAlgorithms(algorithmEntry, rest);
        var options = (AlgorithmOptions)OptionsBinder.Bind(algorithmEntry.OptionsType, rest, algorithmEntry.Name);
        if (envKwargs.Count > 0)
        {
            if (envEntry.OptionsType is null)
                throw new OptionsException($"environment '{envEntry.Name}' takes no options, but env_kwargs gives {string.Join(", ", envKwargs.Keys.Select(k => $"'{k}'"))}.");
            OptionsBinder.Bind(envEntry.OptionsType, envKwargs, envEntry.Name);
        }
        var settings = normalize ? OptionsBinder.Bind<NormalizeSettings>(normalizeMap, "normalize") : null;
        return new TrainingPlan(algorithmEntry.Name, envEntry.Name, options, envKwargs, settings, parallel);
    }

    /// <summary>A key that is not the algorithm's own but another's (<c>noise_type</c> for DQN) fails naming the algorithms that take it.</summary>
    private void RefuseOptionsOfOtherAlgorithms(AlgorithmEntry algorithm, IReadOnlyDictionary<string, object?> config)
    {
        foreach (var key in config.Keys)
        {
            int dot = key.IndexOf('.');
            string head = ConfigMaps.Normalize(dot > 0 ? key[..dot] : key);
            if (algorithm.Options.Any(o => ConfigMaps.Normalize(o.Name) == head)) continue;
            var owners = catalog.Algorithms.Where(a => a.Options.Any(o => ConfigMaps.Normalize(o.Name) == head)).Select(a => a.Name).ToList();
            if (owners.Count > 0)
                throw new OptionsException($"option '{key}' is not one of {algorithm.Name}'s but of {string.Join(", ", owners)}; remove it ('research plugins show {algorithm.Name}' lists {algorithm.Name}'s options).");
        }
    }

    private static bool ReadNormalize(string key, object? value, Dictionary<string, object?> into)
    {
        if (value is JsonElement { ValueKind: JsonValueKind.True or JsonValueKind.False } flag) return flag.GetBoolean();
        if (value is bool b) return b;
        var map = ConfigMaps.AsMap(value);
        if (map is null && Text(value) is { } text)
        {
            if (bool.TryParse(text, out var parsed)) return parsed;
            try
            {
                map = PolicyKwargs.Parse(text);
            }
            catch (FormatException e)
            {
                throw new OptionsException($"config key '{key}': '{text}' is neither true/false nor a dict such as \"{{'norm_obs': True, 'norm_reward': False}}\" ({e.Message})");
            }
        }
        if (map is null) throw new OptionsException($"config key '{key}': expected true, false or a map of VecNormalize settings, got {Show(value)}");
        foreach (var (k, v) in map) into[k] = v;
        return true;
    }

    private static bool ReadVecEnv(string key, object? value) => Text(value)?.ToLowerInvariant() switch
    {
        "sync" or "dummy" => false,
        "parallel" or "subproc" => true,
        _ => throw new OptionsException($"config key '{key}': {Show(value)} is not a vector env kind; expected 'sync' or 'parallel'"),
    };

    private static Dictionary<string, object?> ParsePolicyKwargs(string key, string text)
    {
        try
        {
            return PolicyKwargs.Parse(text);
        }
        catch (FormatException e)
        {
            throw new OptionsException($"config key '{key}': '{text}' is not a dict(...) expression: {e.Message}");
        }
    }

    private static string? Text(object? value) => value switch
    {
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } json => json.GetString(),
        _ => null,
    };

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        JsonElement json => json.GetRawText(),
        _ => value.ToString() ?? "?",
    };

    private static double GammaOf(AlgorithmOptions options) =>
        OptionsBinder.ToConfig(options).TryGetValue("gamma", out var gamma) && gamma is IConvertible number
            ? number.ToDouble(System.Globalization.CultureInfo.InvariantCulture)
            : 0.99;

    private sealed record TrainingPlan(
        string Algorithm, string Environment, AlgorithmOptions Options,
        IReadOnlyDictionary<string, object?> EnvKwargs, NormalizeSettings? Normalize, bool Parallel);
}
