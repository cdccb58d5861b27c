using Research.Abstractions.Options;

namespace Research.Tune;

/// <summary>Checks a spec before any trial starts: its own values, then every trial's config against the factory.</summary>
public static class SpecValidator
{
    /// <summary>Checks the values a spec has on its own (counts, bounds, names); throws <see cref="SpecException"/>.</summary>
    public static void CheckShape(SweepSpec spec)
    {
        string source = spec.Source;
        if (spec.Name.Length == 0 || spec.Name.IndexOfAny(['/', '\\']) >= 0 || spec.Name is "." or ".." ||
            spec.Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new SpecException(source, "name", $"'{spec.Name}' cannot name a folder");
        Positive(spec.NumSamples, "num_samples", source);
        Positive(spec.MaxConcurrent, "max_concurrent", source);
        Positive(spec.TrialThreads, "trial_threads", source);
        if (spec.MaxFailures < 0) throw new SpecException(source, "max_failures", $"must be 0 or more, got {spec.MaxFailures}");
        if (spec.Checkpoint.Frequency < 0)
            throw new SpecException(source, "checkpoint.frequency", $"must be 0 (only at the end) or more, got {spec.Checkpoint.Frequency}");
        if (spec.Checkpoint.Keep is { } keep) Positive(keep, "checkpoint.keep", source);
        if (spec.Stop.Count == 0)
            throw new SpecException(source, "stop", "needs at least one criterion (for example training_iteration: 100), or trials never end");
        CheckDomains(spec.Config, "config", source);
        SchedulerFactory.Create(spec, 0);
        SearcherFactory.Create(spec, 0);
        ExecutorFactory.Check(spec);
    }

    /// <summary>Checks that the factory knows the algorithm and env and accepts every trial's config (after <see cref="CheckShape"/> and expansion).</summary>
    public static void Validate(SweepSpec spec, ITrialFactory factory, IEnumerable<TrialVariant> variants)
    {
        try
        {
            factory.Validate(spec.Algorithm, spec.Env, new Dictionary<string, object?>());
        }
        catch (OptionsException e)
        {
            throw new SpecException(spec.Source, "algorithm/env", e.Message);
        }
        foreach (var variant in variants)
        {
            try
            {
                factory.Validate(spec.Algorithm, spec.Env, variant.Config);
            }
            catch (OptionsException e)
            {
                throw new SpecException(spec.Source, "config", e.Message);
            }
        }
    }

    private static void CheckDomains(IReadOnlyDictionary<string, object?> config, string path, string source)
    {
        foreach (var (key, value) in config)
        {
            if (value is SearchDomain domain && domain.Problem() is { } problem)
                throw new SpecException(source, $"{path}.{key}.{domain.Kind}", problem);
            if (value is IReadOnlyDictionary<string, object?> nested) CheckDomains(nested, $"{path}.{key}", source);
        }
    }

    private static void Positive(int value, string key, string source)
    {
        if (value < 1) throw new SpecException(source, key, $"must be 1 or more, got {value}");
    }
}
