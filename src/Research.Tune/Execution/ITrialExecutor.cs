namespace Research.Tune;

/// <summary>Starts trials (as local processes, as Slurm jobs, or on threads); the driver talks to trials only through their directories.</summary>
/// <remarks>Executors differ only in job control: how a trial is started, watched, killed and found again. What a trial runs
/// (<c>research trial run &lt;dir&gt;</c>) and how it reports (its directory) is the same for all of them.</remarks>
public interface ITrialExecutor
{
    /// <summary>Starts the trial whose directory is <paramref name="trialDir"/>.</summary>
    /// <exception cref="InvalidOperationException">The trial could not be started; the message says why (for Slurm, sbatch's own message).</exception>
    ITrialHandle Start(string trialDir);

    /// <summary>Whether trials keep running while no driver watches them (cluster jobs), so a resumed driver re-attaches instead of restarting them.</summary>
    bool TrialsOutliveDriver => false;

    /// <summary>The trial's job if it is still queued, running or has ended since the driver lost it; null when there is none to attach to.</summary>
    /// <param name="trialDir">The trial's directory.</param>
    /// <param name="job">The job id the driver recorded, if any.</param>
    ITrialHandle? Reattach(string trialDir, string? job) => null;
}

/// <summary>A started trial.</summary>
public interface ITrialHandle : IDisposable
{
    /// <summary>Completes with the trial's exit code (<see cref="TrialExitCodes"/>, or any other code for a crash).</summary>
    Task<int> Exited { get; }

    /// <summary>Ends the trial now, without a checkpoint.</summary>
    void Kill();

    /// <summary>The executor's id for the trial's job, recorded so a resumed driver finds it again; null when there is none.</summary>
    string? Job => null;

    /// <summary>What the executor knows beyond the exit code (a job's queue state, why it ended); null when nothing.</summary>
    string? Detail => null;
}
