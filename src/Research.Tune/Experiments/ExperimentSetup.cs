using System.Text.Json;

namespace Research.Tune;

/// <summary>Creates an experiment from a spec: expands and validates the search, writes <c>spec.json</c>, the trial directories and the first state.</summary>
public static class ExperimentSetup
{
    /// <summary>Validates <paramref name="spec"/> against <paramref name="factory"/> and lays the experiment out in <paramref name="experimentDir"/>.</summary>
    /// <param name="spec">The sweep.</param>
    /// <param name="factory">Checks every trial's config.</param>
    /// <param name="experimentDir">Where the experiment goes.</param>
    /// <param name="trialsOutliveDriver">Whether trials run as cluster jobs that keep going while no driver runs (see <see cref="ITrialExecutor.TrialsOutliveDriver"/>).</param>
    /// <exception cref="SpecException">The spec is wrong; nothing was written.</exception>
    public static ExperimentState Create(SweepSpec spec, ITrialFactory factory, string experimentDir, bool trialsOutliveDriver = false)
    {
        int searchSeed = spec.Seed ?? Random.Shared.Next();
        SpecValidator.CheckShape(spec);
        var searcher = SearcherFactory.Create(spec, searchSeed);
        // A model-based searcher makes its trials as the sweep goes; one random draw of its domains is checked now.
        var variants = SearchSpace.Expand(searcher is null ? spec : spec with { NumSamples = 1 }, searchSeed);
        SpecValidator.Validate(spec, factory, variants);
        if (File.Exists(Path.Combine(experimentDir, TrialFiles.ExperimentState)))
            throw new SpecException(spec.Source, "name",
                $"the experiment '{experimentDir}' exists; resume it with --resume, or give the sweep another name");

        Directory.CreateDirectory(experimentDir);
        AtomicFile.WriteAllText(Path.Combine(experimentDir, TrialFiles.ExperimentSpec), SpecWriter.ToJson(spec with { Seed = searchSeed }));
        var state = new ExperimentState
        {
            Name = spec.Name, SearchSeed = searchSeed, VaryingKeys = SearchSpace.VaryingKeys(spec), Trials = [],
            TrialsOutliveDriver = trialsOutliveDriver, Searcher = searcher?.SaveState(),
        };
        if (searcher is null)
            foreach (var variant in variants) state.Trials.Add(CreateTrial(spec, experimentDir, state, variant));
        state.Save(experimentDir);
        return state;
    }

    /// <summary>Lays out one trial of the experiment (its folder, <c>trial_spec.json</c>, <c>params.json</c>) and returns its state.</summary>
    public static TrialState CreateTrial(SweepSpec spec, string experimentDir, ExperimentState state, TrialVariant variant)
    {
        var trial = new TrialState
        {
            TrialId = TrialNaming.TrialId(TrialNaming.ExperimentTag(spec.Name, state.SearchSeed), variant.Index),
            Index = variant.Index,
            Dir = TrialNaming.DirName(spec.Algorithm, spec.Env, variant.Index, variant.Config, state.VaryingKeys),
            Config = new Dictionary<string, object?>(variant.Config),
            Seed = variant.Seed,
            Status = TrialStatus.Pending,
        };
        new TrialSpec
        {
            TrialId = trial.TrialId,
            Index = trial.Index,
            Algorithm = spec.Algorithm,
            Env = spec.Env,
            Seed = trial.Seed,
            Stop = spec.Stop,
            Checkpoint = spec.Checkpoint,
            Metric = spec.Metric,
            Mode = spec.Mode,
            TrialThreads = spec.TrialThreads,
            WatchDriver = !state.TrialsOutliveDriver,
        }.Save(Path.Combine(experimentDir, trial.Dir), trial.Config);
        return trial;
    }

    /// <summary>Reads the spec an experiment was created with.</summary>
    public static SweepSpec LoadSpec(string experimentDir) => SpecLoader.LoadFile(Path.Combine(experimentDir, TrialFiles.ExperimentSpec));
}

/// <summary>Writes a spec as JSON that <see cref="SpecLoader"/> reads back to an equal spec (JSON is YAML).</summary>
public static class SpecWriter
{
    /// <summary>The spec as an indented JSON document.</summary>
    public static string ToJson(SweepSpec spec)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("name", spec.Name);
            writer.WriteString("algorithm", spec.Algorithm);
            writer.WriteString("env", spec.Env);
            writer.WritePropertyName("config");
            TuneJson.WritePlain(writer, ToPlain(spec.Config));
            writer.WriteNumber("num_samples", spec.NumSamples);
            if (spec.Seed is { } seed) writer.WriteNumber("seed", seed);
            writer.WritePropertyName("stop");
            TuneJson.WritePlain(writer, spec.Stop.ToDictionary(kv => kv.Key, kv => (object?)kv.Value));
            if (spec.Metric is not null) writer.WriteString("metric", spec.Metric);
            writer.WriteString("mode", spec.Mode == OptimizationMode.Max ? "max" : "min");
            writer.WriteNumber("max_concurrent", spec.MaxConcurrent);
            writer.WriteStartObject("checkpoint");
            writer.WriteNumber("frequency", spec.Checkpoint.Frequency);
            writer.WriteBoolean("at_end", spec.Checkpoint.AtEnd);
            if (spec.Checkpoint.Keep is { } keep) writer.WriteNumber("keep", keep);
            if (spec.Checkpoint.Score is { } score) writer.WriteString("score", score);
            writer.WriteEndObject();
            writer.WriteNumber("max_failures", spec.MaxFailures);
            writer.WriteString("output", spec.Output);
            writer.WriteNumber("trial_threads", spec.TrialThreads);
            WriteSection(writer, "scheduler", spec.Scheduler.Type, spec.Scheduler.Options);
            WriteSection(writer, "search", spec.Search.Type, spec.Search.Options);
            WriteSection(writer, "executor", spec.Executor.Type, spec.Executor.Options);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteSection(Utf8JsonWriter writer, string key, string type, IReadOnlyDictionary<string, object?> options)
    {
        writer.WritePropertyName(key);
        TuneJson.WritePlain(writer, new Dictionary<string, object?> { ["type"] = type }.Concat(ToPlain(options)).ToDictionary());
    }

    private static Dictionary<string, object?> ToPlain(IReadOnlyDictionary<string, object?> config) =>
        config.ToDictionary(kv => kv.Key, kv => kv.Value switch
        {
            SearchDomain domain => new Dictionary<string, object?> { [domain.Kind] = domain.Arguments },
            IReadOnlyDictionary<string, object?> nested => ToPlain(nested),
            _ => kv.Value,
        });
}
