using System.Text.Json.Serialization;

namespace Research.Tune;

/// <summary>A decided exploit: copy <see cref="DonorCheckpoint"/> (relative to the experiment) into the trial and continue with <see cref="Config"/>.</summary>
public sealed record ExploitPlan(string DonorCheckpoint, int DonorIteration, Dictionary<string, object?> Config, string Reason);

/// <summary>One trial as the experiment state records it.</summary>
public sealed class TrialState
{
    /// <summary>The trial's id, <c>&lt;8 hex&gt;_&lt;index&gt;</c>.</summary>
    public required string TrialId { get; init; }

    /// <summary>The trial's position in the search.</summary>
    public required int Index { get; init; }

    /// <summary>The trial's folder name inside the experiment directory.</summary>
    public required string Dir { get; init; }

    /// <summary>The trial's config, dotted keys (PBT replaces it when the trial exploits another).</summary>
    public required Dictionary<string, object?> Config { get; set; }

    /// <summary>The trial's seed.</summary>
    public required int Seed { get; set; }

    /// <summary>Its status.</summary>
    public TrialStatus Status { get; set; }

    /// <summary>How many times its process failed.</summary>
    public int NumFailures { get; set; }

    /// <summary>Why it failed last (first line of <c>error.txt</c> or the exit code).</summary>
    public string? Error { get; set; }

    /// <summary>Why it has its status when a scheduler decided it (stopped early, paused, exploited) or the driver was interrupted.</summary>
    public string? Reason { get; set; }

    /// <summary>Paused because the driver was interrupted (not by its scheduler): it is PENDING again when the sweep resumes.</summary>
    public bool Interrupted { get; set; }

    /// <summary>How many rows of its <c>result.json</c> the driver has read (and its scheduler has seen).</summary>
    public int ResultsSeen { get; set; }

    /// <summary>The executor's id of the trial's job (a Slurm job id), so a resumed driver finds it again; null for local processes.</summary>
    public string? Job { get; set; }

    /// <summary>A PBT exploit decided but not yet applied (the trial was still running).</summary>
    public ExploitPlan? PendingExploit { get; set; }

    /// <summary>The last result row's iteration.</summary>
    public int TrainingIteration { get; set; }

    /// <summary>The last result row's timesteps.</summary>
    public long TimestepsTotal { get; set; }

    /// <summary>The last result row's training time.</summary>
    public double TimeTotalS { get; set; }

    /// <summary>The last result row's metric value, if it had one.</summary>
    public double? MetricValue { get; set; }

    /// <summary>Whether the trial is done for good (TERMINATED or ERROR).</summary>
    [JsonIgnore]
    public bool Finished => Status is TrialStatus.Terminated or TrialStatus.Error;

    /// <summary>Takes the last result row's bookkeeping values.</summary>
    public void Update(IReadOnlyDictionary<string, double> row, string? metric)
    {
        if (row.TryGetValue("training_iteration", out var iteration)) TrainingIteration = (int)iteration;
        if (row.TryGetValue("timesteps_total", out var timesteps)) TimestepsTotal = (long)timesteps;
        if (row.TryGetValue("time_total_s", out var time)) TimeTotalS = time;
        if (metric is not null && row.TryGetValue(metric, out var value)) MetricValue = value;
    }
}
