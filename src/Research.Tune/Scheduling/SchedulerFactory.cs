using Research.Abstractions.Options;

namespace Research.Tune;

/// <summary>A spec's <c>scheduler:</c> section: Tune's scheduler name and its options as written.</summary>
public sealed record SchedulerSpec(string Type, IReadOnlyDictionary<string, object?> Options)
{
    /// <summary>FIFO with no options: the default.</summary>
    public static SchedulerSpec Fifo { get; } = new(FifoScheduler.TypeName, new Dictionary<string, object?>());
}

/// <summary>Builds the scheduler a spec names, checking its name and options with errors that name the key and the nearest valid one.</summary>
public static class SchedulerFactory
{
    /// <summary>Every name the spec accepts, as Tune's <c>create_scheduler</c> spells them (plus <c>asha</c>).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        FifoScheduler.TypeName, .. AsyncHyperBandScheduler.TypeNames, HyperBandScheduler.TypeNameHyperBand,
        .. MedianStoppingRule.TypeNames, PopulationBasedTraining.TypeNamePbt, PopulationBasedTrainingReplay.TypeNameReplay,
    ];

    private const string MutationsKey = "hyperparam_mutations";

    /// <summary>The scheduler of <paramref name="spec"/>; <paramref name="seed"/> seeds its random choices.</summary>
    /// <exception cref="SpecException">naming <c>scheduler.&lt;key&gt;</c>.</exception>
    public static ITrialScheduler Create(SweepSpec spec, int seed)
    {
        var scheduler = spec.Scheduler;
        string type = scheduler.Type.ToLowerInvariant();
        string source = spec.Source;
        try
        {
            switch (type)
            {
                case FifoScheduler.TypeName:
                    Bind<NoOptions>(spec);
                    return new FifoScheduler();
                case var _ when AsyncHyperBandScheduler.TypeNames.Contains(type):
                {
                    var options = Bind<AsyncHyperBandOptions>(spec);
                    Check(source, options.Problem());
                    return new AsyncHyperBandScheduler(options, Objective(spec, options.TimeAttr, options.Metric, options.Mode), seed);
                }
                case HyperBandScheduler.TypeNameHyperBand:
                {
                    var options = Bind<HyperBandOptions>(spec);
                    Check(source, options.Problem());
                    return new HyperBandScheduler(options, Objective(spec, options.TimeAttr, options.Metric, options.Mode));
                }
                case var _ when MedianStoppingRule.TypeNames.Contains(type):
                {
                    var options = Bind<MedianStoppingOptions>(spec);
                    return new MedianStoppingRule(options, Objective(spec, options.TimeAttr, options.Metric, options.Mode));
                }
                case PopulationBasedTraining.TypeNamePbt:
                {
                    var options = Bind<PbtOptions>(spec, MutationsKey);
                    Check(source, options.Problem());
                    var mutations = Mutations(spec);
                    return new PopulationBasedTraining(options, Objective(spec, options.TimeAttr, options.Metric, options.Mode), mutations, seed);
                }
                case PopulationBasedTrainingReplay.TypeNameReplay:
                {
                    var options = Bind<PbtReplayOptions>(spec);
                    if (options.PolicyFile.Length == 0) throw new SpecException(source, "scheduler.policy_file", "is required: the pbt_policy_<trial>.txt to replay");
                    if (SearchSpace.Count(spec) != 1)
                        throw new SpecException(source, "num_samples", "PBT replay trains exactly one trial; set num_samples: 1 and use no grid_search");
                    string path = Path.IsPathRooted(options.PolicyFile) || spec.Source == "<spec>"
                        ? options.PolicyFile
                        : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(spec.Source)) ?? "", options.PolicyFile);
                    if (!File.Exists(path) && File.Exists(options.PolicyFile)) path = options.PolicyFile;
                    try
                    {
                        return new PopulationBasedTrainingReplay(path);
                    }
                    catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
                    {
                        throw new SpecException(source, "scheduler.policy_file", e.Message);
                    }
                }
                default:
                    var nearest = OptionsBinder.Nearest(type, Names);
                    throw new SpecException(source, "scheduler.type",
                        $"unknown scheduler '{scheduler.Type}'; " + (nearest is not null ? $"did you mean '{nearest}'?" : $"known: {string.Join(", ", Names)}"));
            }
        }
        catch (OptionsException e)
        {
            throw new SpecException(source, "scheduler", e.Message);
        }
    }

    private static T Bind<T>(SweepSpec spec, params string[] apart) where T : new()
    {
        var valid = OptionsBinder.Describe(typeof(T)).Select(o => o.Name).Concat(apart).ToList();
        foreach (var key in spec.Scheduler.Options.Keys)
        {
            if (valid.Contains(key)) continue;
            string note = key == "custom_explore_fn" ? " (a spec runs no code: describe each mutation in hyperparam_mutations)" : "";
            var nearest = OptionsBinder.Nearest(key, valid);
            throw new SpecException(spec.Source, $"scheduler.{key}",
                $"unknown option for scheduler '{spec.Scheduler.Type}'; " +
                (nearest is not null ? $"did you mean 'scheduler.{nearest}'?" : $"valid options: {string.Join(", ", valid)}") + note);
        }
        var bindable = spec.Scheduler.Options.Where(kv => !apart.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        return OptionsBinder.Bind<T>(bindable, $"scheduler '{spec.Scheduler.Type}'");
    }

    private static void Check(string source, (string Key, string Reason)? problem)
    {
        if (problem is { } p) throw new SpecException(source, $"scheduler.{p.Key}", p.Reason);
    }

    /// <summary>The scheduler's metric and mode, defaulting to the spec's (Tune's <c>set_search_properties</c>); both given and different is an error.</summary>
    private static SchedulerObjective Objective(SweepSpec spec, string timeAttr, string? metric, OptimizationMode? mode)
    {
        if (metric is not null && spec.Metric is not null && metric != spec.Metric)
            throw new SpecException(spec.Source, "scheduler.metric",
                $"'{metric}' differs from the spec's metric '{spec.Metric}'; give the metric once (the scheduler takes the spec's)");
        string resolved = metric ?? spec.Metric ?? throw new SpecException(spec.Source, "metric",
            $"scheduler '{spec.Scheduler.Type}' compares trials by a metric; set metric (for example episode_reward_mean) and mode");
        if (timeAttr.Length == 0) throw new SpecException(spec.Source, "scheduler.time_attr", "must name a result key");
        return new SchedulerObjective(timeAttr, resolved, mode ?? spec.Mode);
    }

    /// <summary>PBT's mutations as dotted keys: lists, search domains, or nested maps of them; every key must be in the config.</summary>
    private static List<KeyValuePair<string, PbtMutation>> Mutations(SweepSpec spec)
    {
        if (!spec.Scheduler.Options.TryGetValue(MutationsKey, out var raw) || raw is not IReadOnlyDictionary<string, object?> map || map.Count == 0)
            throw new SpecException(spec.Source, $"scheduler.{MutationsKey}",
                "PBT needs a map of hyperparameters to mutate: a list of values, or a search domain such as {loguniform: [1e-5, 1e-3]}");
        var configKeys = SearchSpace.Flatten(spec.Config).Select(kv => kv.Key).ToList();
        var result = new List<KeyValuePair<string, PbtMutation>>();
        Collect(map, "", spec, configKeys, result);
        return result;
    }

    private static void Collect(IReadOnlyDictionary<string, object?> map, string prefix, SweepSpec spec, List<string> configKeys,
        List<KeyValuePair<string, PbtMutation>> into)
    {
        foreach (var (key, value) in map)
        {
            string dotted = prefix + key;
            string specKey = $"scheduler.{MutationsKey}.{dotted}";
            if (value is SearchDomain or IReadOnlyDictionary<string, object?> { Count: 1 } && SpecLoader.AsDomain(value, spec.Source, specKey) is { } domain)
            {
                if (domain is not RandomDomain random)
                    throw new SpecException(spec.Source, specKey, $"{domain.Kind} cannot be sampled; use a list of values or choice, uniform, loguniform, randint");
                into.Add(new(Known(dotted, spec, configKeys, specKey), new PbtDomainMutation(random)));
            }
            else if (value is IReadOnlyDictionary<string, object?> nested)
            {
                Collect(nested, dotted + ".", spec, configKeys, into);
            }
            else if (value is IReadOnlyList<object?> { Count: > 0 } list)
            {
                into.Add(new(Known(dotted, spec, configKeys, specKey), new PbtListMutation(list.ToList())));
            }
            else
            {
                throw new SpecException(spec.Source, specKey,
                    $"must be a list of values or a search domain (choice, uniform, loguniform, randint), got {SpecLoader.Describe(value)}");
            }
        }
    }

    private static string Known(string key, SweepSpec spec, List<string> configKeys, string specKey)
    {
        if (configKeys.Contains(key)) return key;
        var nearest = OptionsBinder.Nearest(key, configKeys);
        throw new SpecException(spec.Source, specKey,
            $"'{key}' is not in config: PBT mutates a trial's config, so give '{key}' a starting value (or a search domain) under config" +
            (nearest is not null ? $"; did you mean '{nearest}'?" : ""));
    }

    /// <summary>FIFO takes no options.</summary>
    private sealed record NoOptions;
}
