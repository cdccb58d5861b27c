using Research.Abstractions.Options;

namespace Research.Tune;

/// <summary>A spec's <c>search:</c> section: the searcher's name and its options as written.</summary>
public sealed record SearchSpec(string Type, IReadOnlyDictionary<string, object?> Options)
{
    /// <summary>Grid and random search (Tune's basic variant generator): the default.</summary>
    public static SearchSpec Basic { get; } = new("grid", new Dictionary<string, object?>());

    /// <summary>Whether this is the basic variant generator (every trial known up front).</summary>
    public bool IsBasic => SearcherFactory.BasicNames.Contains(Type.ToLowerInvariant());
}

/// <summary>Builds the searcher a spec names; errors name the key and the nearest valid one.</summary>
public static class SearcherFactory
{
    /// <summary>The names of grid and random search (one generator: grids repeated num_samples times, random domains drawn).</summary>
    public static readonly string[] BasicNames = ["grid", "random", "basic_variant"];

    /// <summary>Every name the spec accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. BasicNames, TpeSearcher.TypeName];

    /// <summary>The model-based searcher of <paramref name="spec"/> (wrapped in a <see cref="ConcurrencyLimiter"/> when asked), or null for grid and random search.</summary>
    /// <exception cref="SpecException">naming <c>search.&lt;key&gt;</c>.</exception>
    public static ISearcher? Create(SweepSpec spec, int seed)
    {
        string type = spec.Search.Type.ToLowerInvariant();
        if (BasicNames.Contains(type))
        {
            if (spec.Search.Options.Count > 0)
                throw new SpecException(spec.Source, $"search.{spec.Search.Options.Keys.First()}", $"'{spec.Search.Type}' search takes no options");
            return null;
        }
        if (type != TpeSearcher.TypeName)
        {
            var nearest = OptionsBinder.Nearest(type, Names);
            throw new SpecException(spec.Source, "search.type",
                $"unknown searcher '{spec.Search.Type}'; " + (nearest is not null ? $"did you mean '{nearest}'?" : $"known: {string.Join(", ", Names)}"));
        }
        var valid = OptionsBinder.Describe(typeof(TpeOptions)).Select(o => o.Name).ToList();
        foreach (var key in spec.Search.Options.Keys.Where(k => !valid.Contains(k)))
        {
            var nearest = OptionsBinder.Nearest(key, valid);
            throw new SpecException(spec.Source, $"search.{key}", "unknown option for searcher 'tpe'; " +
                (nearest is not null ? $"did you mean 'search.{nearest}'?" : $"valid options: {string.Join(", ", valid)}"));
        }
        TpeOptions options;
        try
        {
            options = OptionsBinder.Bind<TpeOptions>(spec.Search.Options, "searcher 'tpe'");
        }
        catch (OptionsException e)
        {
            throw new SpecException(spec.Source, "search", e.Message);
        }
        string metric = spec.Metric ?? throw new SpecException(spec.Source, "metric",
            "searcher 'tpe' learns from a metric; set metric (for example episode_reward_mean) and mode");
        var space = SearchSpace.Flatten(spec.Config);
        if (space.FirstOrDefault(kv => kv.Value is GridSearch) is { Key: { } gridKey })
            throw new SpecException(spec.Source, $"config.{gridKey}.grid_search",
                "TPE draws from search domains and cannot walk a grid; use choice (or search: grid)");
        if (!space.Any(kv => kv.Value is RandomDomain))
            throw new SpecException(spec.Source, "config", "TPE needs at least one search domain (choice, uniform, loguniform, randint) to search");
        ISearcher tpe = new TpeSearcher(options, space, metric, spec.Mode, seed, spec.NumSamples);
        return options.MaxConcurrent is { } limit ? new ConcurrencyLimiter(tpe, limit) : tpe;
    }
}
