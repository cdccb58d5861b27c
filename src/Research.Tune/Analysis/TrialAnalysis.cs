namespace Research.Tune;

/// <summary>One trial's results as analysis sees them: its config, status, every result row and its checkpoints.</summary>
public sealed class TrialAnalysis
{
    /// <summary>The trial's id.</summary>
    public required string TrialId { get; init; }

    /// <summary>The trial's directory.</summary>
    public required string Dir { get; init; }

    /// <summary>Its status.</summary>
    public required TrialStatus Status { get; init; }

    /// <summary>Its config, dotted keys.</summary>
    public required IReadOnlyDictionary<string, object?> Config { get; init; }

    /// <summary>Every result row's numeric values, oldest first.</summary>
    public required IReadOnlyList<Dictionary<string, double>> Results { get; init; }

    /// <summary>Its complete checkpoints, oldest first.</summary>
    public required IReadOnlyList<CheckpointInfo> Checkpoints { get; init; }

    /// <summary>Why it failed, when it did.</summary>
    public string? Error { get; init; }

    /// <summary>Why a scheduler stopped or paused it (or exploited another trial for it), when one did.</summary>
    public string? Reason { get; init; }

    /// <summary>Iterations completed.</summary>
    public int Iterations => (int)Last("training_iteration");

    /// <summary>Timesteps consumed.</summary>
    public long Timesteps => (long)Last("timesteps_total");

    /// <summary>Training time in seconds.</summary>
    public double TimeTotalS => Last("time_total_s");

    /// <summary>The trial's score on <paramref name="metric"/> under <paramref name="scope"/>, or null when it never reported the metric.</summary>
    public double? Score(string metric, OptimizationMode mode, ResultScope scope) =>
        ResultScopes.Score(Results.Where(r => r.TryGetValue(metric, out var v) && double.IsFinite(v)).Select(r => r[metric]).ToList(), scope, mode);

    /// <summary>The checkpoint with the best recorded <paramref name="metric"/>, or the newest.</summary>
    public CheckpointInfo? BestCheckpoint(string? metric, OptimizationMode mode) => CheckpointStore.Best(Checkpoints, metric, mode);

    private double Last(string key) => Results.Count > 0 && Results[^1].TryGetValue(key, out var v) ? v : 0;
}
