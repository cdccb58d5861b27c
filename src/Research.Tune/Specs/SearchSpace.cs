using System.Globalization;

namespace Research.Tune;

/// <summary>One point of the search space: a trial's index, its config (dotted keys, plain values) and its seed.</summary>
public sealed record TrialVariant(int Index, IReadOnlyDictionary<string, object?> Config, int Seed);

/// <summary>Expands a spec's config into trial variants as Tune's basic variant generator does.</summary>
/// <remarks>
/// The grid (the product of every <c>grid_search</c>, first key varying fastest) is repeated <c>num_samples</c> times;
/// random domains are drawn for each variant, in key order, from one generator seeded by the search seed, so the same
/// seed gives the same variants. A trial's seed is its config's <c>seed</c> when it has one (plain or grid), otherwise
/// the search seed plus the trial's index.
/// </remarks>
public static class SearchSpace
{
    /// <summary>The config flattened to dotted keys, values plain or <see cref="SearchDomain"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, object?>> Flatten(IReadOnlyDictionary<string, object?> config)
    {
        var result = new List<KeyValuePair<string, object?>>();
        Flatten(config, "", result);
        return result;
    }

    /// <summary>The dotted keys whose values differ between trials (grid or random), in spec order.</summary>
    public static IReadOnlyList<string> VaryingKeys(SweepSpec spec) =>
        Flatten(spec.Config).Where(kv => kv.Value is SearchDomain).Select(kv => kv.Key).ToList();

    /// <summary>How many trials the spec makes: the grid's size times <c>num_samples</c>.</summary>
    public static long Count(SweepSpec spec) =>
        Flatten(spec.Config).Select(kv => kv.Value is GridSearch g ? (long)g.Values.Count : 1L)
            .Aggregate(1L, (a, b) => a * b) * spec.NumSamples;

    /// <summary>Every trial's variant, in order.</summary>
    public static IReadOnlyList<TrialVariant> Expand(SweepSpec spec, int searchSeed)
    {
        var flat = Flatten(spec.Config);
        long count = Count(spec);
        if (count > 1_000_000)
            throw new SpecException(spec.Source, "config", $"the search space has {count} trials; more than 1,000,000 is surely a mistake");
        long gridSize = count / spec.NumSamples;
        var random = new Random(searchSeed);
        var variants = new List<TrialVariant>((int)count);
        for (int sample = 0; sample < spec.NumSamples; sample++)
        {
            for (long cell = 0; cell < gridSize; cell++)
            {
                long rest = cell;
                var config = new Dictionary<string, object?>(flat.Count);
                foreach (var (key, value) in flat)
                {
                    config[key] = value switch
                    {
                        GridSearch grid => grid.Values[(int)(rest % grid.Values.Count)],
                        RandomDomain domain => domain.Sample(random),
                        _ => value,
                    };
                    if (value is GridSearch g) rest /= g.Values.Count;
                }
                int index = variants.Count;
                variants.Add(new TrialVariant(index, config, SeedOf(config, searchSeed, index, spec.Source)));
            }
        }
        return variants;
    }

    /// <summary>The variant a searcher suggested for trial <paramref name="index"/>, with its seed (the config's, else the search seed plus the index).</summary>
    public static TrialVariant Variant(int index, IReadOnlyDictionary<string, object?> config, int searchSeed, string source) =>
        new(index, config, SeedOf(config, searchSeed, index, source));

    private static int SeedOf(IReadOnlyDictionary<string, object?> config, int searchSeed, int index, string source)
    {
        if (!config.TryGetValue("seed", out var seed) || seed is null) return unchecked(searchSeed + index);
        return seed switch
        {
            long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
            int i => i,
            double d when d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue => (int)d,
            _ => throw new SpecException(source, "config.seed",
                $"{Convert.ToString(seed, CultureInfo.InvariantCulture)} is not an integer seed"),
        };
    }

    private static void Flatten(IReadOnlyDictionary<string, object?> config, string prefix, List<KeyValuePair<string, object?>> into)
    {
        foreach (var (key, value) in config)
        {
            if (value is IReadOnlyDictionary<string, object?> nested) Flatten(nested, $"{prefix}{key}.", into);
            else into.Add(new(prefix + key, value));
        }
    }
}
