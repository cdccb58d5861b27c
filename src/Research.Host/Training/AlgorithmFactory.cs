using System.Text.Json;
using Research.Abstractions.Algorithms;
using Research.Abstractions.Options;
using Research.Host.Catalog;
using Research.Rl.Policies;
using Research.Rl.VectorEnvs;
using Research.Tune;

namespace Research.Host.Training;

/// <summary>
/// Binds a config map into a <see cref="TrainingPlan"/> and builds the run a plan describes: algorithm options, the vector env
/// (<c>n_envs</c> copies, sync or parallel), and <see cref="VecNormalize"/> when asked. It is the sweep runner's
/// <see cref="ITrialFactory"/> too, so a trial and <c>research train</c> are built by the same code.
/// </summary>
/// <remarks>
/// Keys taken out of the map before the rest binds onto the algorithm's options: <c>normalize</c> (true/false, a map, or the zoo's
/// Python dict string such as <c>"{'norm_obs': True, 'norm_reward': False}"</c>), <c>env_kwargs</c> (the environment's options),
/// <c>vec_env</c> (<c>sync</c>, the default, or <c>parallel</c>). <c>n_envs</c> and <c>total_timesteps</c> are algorithm options.
/// The zoo's <c>env_wrapper</c>, <c>frame_stack</c>, <c>vec_env_wrapper</c> and <c>callback</c> are refused with a clear error;
/// a string <c>policy_kwargs</c> is parsed as the zoo writes it.
/// </remarks>
public sealed class AlgorithmFactory(PluginCatalog catalog) : ITrialFactory
{
    private static readonly string[] Unsupported = ["env_wrapper", "frame_stack", "vec_env_wrapper", "callback"];

    /// <summary>
    /// Binds <paramref name="config"/> for <paramref name="algorithm"/> on <paramref name="env"/> into a plan. <paramref name="seed"/>
    /// replaces the config's <c>seed</c>; the budget is <paramref name="timesteps"/>, else the config's <c>total_timesteps</c>, else
    /// <paramref name="defaultTimesteps"/> (null when none: <see cref="TrainingPlan.EnsureBudget"/> then names any schedule that needs one).
    /// </summary>
    public TrainingPlan Plan(string algorithm, string env, IReadOnlyDictionary<string, object?> config,
        int? seed = null, long? timesteps = null, long? defaultTimesteps = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var algorithmEntry = catalog.Get<AlgorithmEntry>(algorithm);
        var envEntry = catalog.Get<EnvironmentEntry>(env);
        var rest = new Dictionary<string, object?>(StringComparer.Ordinal);
        var envKwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        var normalizeMap = new Dictionary<string, object?>(StringComparer.Ordinal);
        bool normalize = false;
        var vectorEnv = VectorEnvKind.Sync;
        foreach (var (key, value) in config)
        {
            int dot = key.IndexOf('.');
            string head = OptionsBinder.KeyOf(dot > 0 ? key[..dot] : key);
            string? sub = dot > 0 ? key[(dot + 1)..] : null;
            if (Unsupported.FirstOrDefault(u => OptionsBinder.KeyOf(u) == head) is { } unsupported)
                throw new OptionsException($"config key '{key}' ({unsupported}) is not supported by {algorithmEntry.Name} training here; remove it (supported environment keys: normalize, env_kwargs, vec_env, n_envs).");
            switch (head)
            {
                case "envkwargs" when sub is not null:
                    envKwargs[sub] = value;
                    break;
                case "envkwargs":
                    foreach (var (k, v) in OptionsBinder.AsMap(value) ?? throw new OptionsException($"config key '{key}': expected a map of {envEntry.Name}'s options, got {Show(value)}"))
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
                    vectorEnv = ReadVecEnv(key, value);
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
        options = options with
        {
            Seed = seed ?? options.Seed,
            TotalTimesteps = timesteps ?? options.TotalTimesteps ?? defaultTimesteps,
        };
        if (envKwargs.Count > 0 && envEntry.OptionsType is null)
            throw new OptionsException($"environment '{envEntry.Name}' takes no options, but env_kwargs gives {string.Join(", ", envKwargs.Keys.Select(k => $"'{k}'"))}.");
        var envOptions = PluginCatalog.BindEnvironmentOptions(envEntry, envKwargs);
        var settings = normalize ? OptionsBinder.Bind<NormalizeSettings>(normalizeMap, "normalize") : null;
        return new TrainingPlan(algorithmEntry, envEntry, options, envOptions, settings, vectorEnv);
    }

    /// <summary>Builds the run <paramref name="plan"/> describes: the algorithm on its own vector env, which disposing it disposes too.</summary>
    public IAlgorithm Create(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var vector = CreateVectorEnv(plan);
        try
        {
            return new EnvironmentOwningAlgorithm(catalog.CreateAlgorithm(plan.Algorithm.Name, vector, plan.Options), vector);
        }
        catch
        {
            vector.Dispose();
            throw;
        }
    }

    /// <summary>The vector env of <paramref name="plan"/>: <c>n_envs</c> copies of its environment, sync or parallel, inside <see cref="VecNormalize"/> when asked.</summary>
    public IVectorEnv CreateVectorEnv(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        IVectorEnv vector = plan.VectorEnv == VectorEnvKind.Parallel
            ? new ParallelVectorEnv(_ => catalog.CreateEnvironment(plan.Environment, plan.EnvironmentOptions), plan.Options.NEnvs)
            : new SyncVectorEnv(_ => catalog.CreateEnvironment(plan.Environment, plan.EnvironmentOptions), plan.Options.NEnvs);
        if (plan.Normalize is not { } normalize) return vector;
        try
        {
            return new VecNormalize(vector, normalize.ToOptions((plan.Options as IDiscountedOptions)?.Gamma ?? 0.99));
        }
        catch
        {
            vector.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Validate(TrialRequest request) => PlanOf(request).EnsureBudget();

    /// <inheritdoc />
    public IAlgorithm Create(TrialRequest request) => Create(PlanOf(request));

    /// <summary>A trial's plan: its seed, and its config's <c>total_timesteps</c> or else the sweep's <c>stop.timesteps_total</c> as the budget.</summary>
    private TrainingPlan PlanOf(TrialRequest request) =>
        Plan(request.Algorithm, request.Env, request.Config, request.Seed, defaultTimesteps: request.Timesteps);

    /// <summary>A key that is not the algorithm's own but another's (<c>noise_type</c> for DQN) fails naming the algorithms that take it.</summary>
    private void RefuseOptionsOfOtherAlgorithms(AlgorithmEntry algorithm, IReadOnlyDictionary<string, object?> config)
    {
        foreach (var key in config.Keys)
        {
            int dot = key.IndexOf('.');
            string head = OptionsBinder.KeyOf(dot > 0 ? key[..dot] : key);
            if (algorithm.Options.Any(o => OptionsBinder.KeyOf(o.Name) == head)) continue;
            var owners = catalog.Algorithms.Where(a => a.Options.Any(o => OptionsBinder.KeyOf(o.Name) == head)).Select(a => a.Name).ToList();
            if (owners.Count > 0)
                throw new OptionsException($"option '{key}' is not one of {algorithm.Name}'s but of {string.Join(", ", owners)}; remove it ('research plugins show {algorithm.Name}' lists {algorithm.Name}'s options).");
        }
    }

    private static bool ReadNormalize(string key, object? value, Dictionary<string, object?> into)
    {
        if (value is JsonElement { ValueKind: JsonValueKind.True or JsonValueKind.False } flag) return flag.GetBoolean();
        if (value is bool b) return b;
        var map = OptionsBinder.AsMap(value);
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

    private static VectorEnvKind ReadVecEnv(string key, object? value) => Text(value)?.ToLowerInvariant() switch
    {
        "sync" or "dummy" => VectorEnvKind.Sync,
        "parallel" or "subproc" => VectorEnvKind.Parallel,
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
}
