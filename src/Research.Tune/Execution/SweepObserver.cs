namespace Research.Tune;

/// <summary>One trial as observers and status tables see it.</summary>
public sealed record TrialSnapshot(
    string TrialId,
    string Dir,
    TrialStatus Status,
    IReadOnlyDictionary<string, object?> Config,
    int TrainingIteration,
    long TimestepsTotal,
    double TimeTotalS,
    double? MetricValue,
    int NumFailures,
    string? Error)
{
    /// <summary>Why the trial has its status when a scheduler decided it (stopped early, paused, exploited).</summary>
    public string? Reason { get; init; }

    /// <summary>What its executor reports while it runs (a Slurm job's id and queue state), or null.</summary>
    public string? Detail { get; init; }

    /// <summary>A copy of <paramref name="trial"/>'s current values, with its executor's <paramref name="detail"/>.</summary>
    public static TrialSnapshot Of(TrialState trial, string? detail = null) => new(trial.TrialId, trial.Dir, trial.Status, trial.Config,
        trial.TrainingIteration, trial.TimestepsTotal, trial.TimeTotalS, trial.MetricValue, trial.NumFailures, trial.Error)
    {
        Reason = trial.Reason,
        Detail = detail,
    };
}

/// <summary>The whole sweep at one moment.</summary>
public sealed record SweepSnapshot(
    string Name,
    string ExperimentDirectory,
    string? Metric,
    OptimizationMode Mode,
    IReadOnlyList<string> VaryingKeys,
    IReadOnlyList<TrialSnapshot> Trials,
    TimeSpan Elapsed)
{
    /// <summary>The scheduler's one-line account (Tune's <c>debug_string</c>).</summary>
    public string? Scheduler { get; init; }

    /// <summary>How many trials have <paramref name="status"/>.</summary>
    public int Count(TrialStatus status) => Trials.Count(t => t.Status == status);

    /// <summary>The trial with the best last metric value, or null when none reported it.</summary>
    public TrialSnapshot? Best
    {
        get
        {
            var scored = Trials.Where(t => t.MetricValue is { } v && double.IsFinite(v)).ToList();
            if (scored.Count == 0) return null;
            return Mode == OptimizationMode.Max ? scored.MaxBy(t => t.MetricValue) : scored.MinBy(t => t.MetricValue);
        }
    }

    /// <summary>Whether every trial is TERMINATED or ERROR.</summary>
    public bool Finished => Trials.All(t => t.Status is TrialStatus.Terminated or TrialStatus.Error);
}

/// <summary>Hears what the driver does; the CLI's status table and the TensorBoard hparams writer implement it. Calls come from the driver's loop, one at a time.</summary>
public interface ISweepObserver
{
    /// <summary>The sweep starts (or resumes) with these trials.</summary>
    void OnSweepStart(SweepSpec spec, SweepSnapshot snapshot) { }

    /// <summary>A trial reported a result row.</summary>
    void OnTrialResult(TrialSnapshot trial, IReadOnlyDictionary<string, double> result) { }

    /// <summary>A trial changed status.</summary>
    void OnTrialStatus(TrialSnapshot trial) { }

    /// <summary>The periodic status (every <see cref="SweepRunnerOptions.StatusInterval"/>).</summary>
    void OnStatus(SweepSnapshot snapshot) { }

    /// <summary>The sweep ended (all trials finished, or the driver was interrupted and paused them).</summary>
    void OnSweepEnd(SweepSnapshot snapshot) { }
}
