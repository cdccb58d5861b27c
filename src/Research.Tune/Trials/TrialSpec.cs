namespace Research.Tune;

/// <summary>Everything a trial process needs besides its config (<c>params.json</c>); stored as <c>trial_spec.json</c>.</summary>
public sealed record TrialSpec
{
    /// <summary>The trial's id, <c>&lt;8 hex&gt;_&lt;index&gt;</c>.</summary>
    public required string TrialId { get; init; }

    /// <summary>The trial's position in the search.</summary>
    public required int Index { get; init; }

    /// <summary>Registered algorithm name.</summary>
    public required string Algorithm { get; init; }

    /// <summary>Registered environment id.</summary>
    public required string Env { get; init; }

    /// <summary>The trial's seed.</summary>
    public required int Seed { get; init; }

    /// <summary>Stop thresholds on result keys.</summary>
    public IReadOnlyDictionary<string, double> Stop { get; init; } = new Dictionary<string, double>();

    /// <summary>Checkpoint frequency and retention.</summary>
    public CheckpointPolicy Checkpoint { get; init; } = new();

    /// <summary>The sweep's metric, recorded with checkpoints to rank them.</summary>
    public string? Metric { get; init; }

    /// <summary>Whether the metric is better larger or smaller.</summary>
    public OptimizationMode Mode { get; init; }

    /// <summary>Threads the trial's tensor engine may use.</summary>
    public int TrialThreads { get; init; } = 1;

    /// <summary>Whether the trial ends itself when its driver dies; false for cluster jobs, which a resumed driver re-attaches to.</summary>
    public bool WatchDriver { get; init; } = true;

    /// <summary>Reads <c>trial_spec.json</c> from a trial directory.</summary>
    public static TrialSpec Load(string trialDir) => TuneJson.Read<TrialSpec>(Path.Combine(trialDir, TrialFiles.TrialSpec));

    /// <summary>Reads a trial's config from <c>params.json</c>, flattened to dotted keys.</summary>
    public static Dictionary<string, object?> LoadConfig(string trialDir) =>
        TuneJson.Flatten(TuneJson.Read<Dictionary<string, object?>>(Path.Combine(trialDir, TrialFiles.Params)));

    /// <summary>Replaces the trial's <c>params.json</c> (a PBT exploit gives it the mutated config).</summary>
    public static void SaveConfig(string trialDir, IReadOnlyDictionary<string, object?> config) =>
        TuneJson.Write(Path.Combine(trialDir, TrialFiles.Params), TuneJson.Nest(config));

    /// <summary>Writes <c>trial_spec.json</c> and <c>params.json</c> into <paramref name="trialDir"/>.</summary>
    public void Save(string trialDir, IReadOnlyDictionary<string, object?> config)
    {
        Directory.CreateDirectory(trialDir);
        TuneJson.Write(Path.Combine(trialDir, TrialFiles.TrialSpec), this);
        TuneJson.Write(Path.Combine(trialDir, TrialFiles.Params), TuneJson.Nest(config));
    }
}
