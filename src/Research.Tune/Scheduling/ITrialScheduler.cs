using System.Text.Json.Nodes;

namespace Research.Tune;

/// <summary>What a scheduler decides about a trial after one of its results (Tune's <c>CONTINUE</c>, <c>PAUSE</c>, <c>STOP</c>).</summary>
public enum SchedulerAction
{
    /// <summary>Keep training.</summary>
    Continue,

    /// <summary>Save a checkpoint and give the slot up; the trial resumes from that checkpoint when the scheduler chooses it again.</summary>
    Pause,

    /// <summary>End the trial now: TERMINATED early.</summary>
    Stop,
}

/// <summary>A scheduler's decision with the reason the table, <c>result.json</c> and <c>analysis.json</c> show.</summary>
public readonly record struct SchedulerDecision(SchedulerAction Action, string? Reason)
{
    /// <summary>Keep training.</summary>
    public static SchedulerDecision Continue => new(SchedulerAction.Continue, null);

    /// <summary>Pause, saying why.</summary>
    public static SchedulerDecision Pause(string reason) => new(SchedulerAction.Pause, reason);

    /// <summary>Stop early, saying why.</summary>
    public static SchedulerDecision Stop(string reason) => new(SchedulerAction.Stop, reason);
}

/// <summary>
/// Where a trial waits for its scheduler: after the first result whose <see cref="Attr"/> reaches <see cref="At"/>, the trial
/// (having saved a checkpoint when <see cref="Checkpoint"/> is set) waits for the driver's decision before training on.
/// </summary>
/// <remarks>Why trials wait: a decision then applies exactly at the result it was made on (a rung, a perturbation, a
/// bracket milestone), as in Tune, where a trial's next iteration starts only after its result was processed.</remarks>
public sealed record TrialHold(string Attr, double At, bool Checkpoint = false);

/// <summary>What a scheduler may read and do besides answering for the trial whose result it is given (the driver implements it).</summary>
public interface ISchedulerContext
{
    /// <summary>The experiment directory (PBT writes its policy logs there).</summary>
    string ExperimentDirectory { get; }

    /// <summary>Every trial added so far, by index.</summary>
    IReadOnlyList<TrialState> Trials { get; }

    /// <summary>The trial with this id, or null.</summary>
    TrialState? Find(string trialId);

    /// <summary>Whether a trial waits for a slot (PENDING or PAUSED), or the searcher may still add one.</summary>
    bool AnyWaiting { get; }

    /// <summary>The newest complete checkpoint of <paramref name="trial"/>, or null.</summary>
    CheckpointRef? LatestCheckpoint(TrialState trial);

    /// <summary>Ends a PAUSED or PENDING trial early (TERMINATED with <paramref name="reason"/>).</summary>
    void StopTrial(TrialState trial, string reason);

    /// <summary>Gives a trial that has not started yet another config (dotted keys) and, when given, another seed.</summary>
    void Reconfigure(TrialState trial, IReadOnlyDictionary<string, object?> config, int? seed);

    /// <summary>Makes a PAUSED trial PENDING, so it runs again when chosen.</summary>
    void UnpauseTrial(TrialState trial);

    /// <summary>
    /// PBT's exploit: once <paramref name="trial"/> no longer runs, its checkpoints are replaced by a copy of
    /// <paramref name="donorCheckpoint"/> and its config by <paramref name="config"/> (dotted keys); it then resumes from there.
    /// </summary>
    void Exploit(TrialState trial, CheckpointRef donorCheckpoint, IReadOnlyDictionary<string, object?> config, string reason);
}

/// <summary>A checkpoint as schedulers keep it: its folder relative to the experiment directory (so a moved experiment still resumes) and its iteration.</summary>
public sealed record CheckpointRef(string Path, int TrainingIteration);

/// <summary>Decides which trial runs, and whether a running trial continues, pauses or stops (Tune's <c>TrialScheduler</c>).</summary>
/// <remarks>
/// Calls come from the driver's loop, one at a time. A scheduler's whole state goes into <c>experiment_state.json</c>
/// (<see cref="SaveState"/>), so a killed driver resumes with the same brackets, rungs and populations. Trials are
/// named by their ids in that state. Results are fed once each, in the order each trial wrote them; after a trial
/// restarts from an earlier checkpoint the recomputed rows are fed again, so every method must tolerate a repeated result.
/// </remarks>
public interface ITrialScheduler
{
    /// <summary>The name the spec used (<c>fifo</c>, <c>async_hyperband</c>, …).</summary>
    string Name { get; }

    /// <summary>A trial joined the experiment.</summary>
    void OnTrialAdd(ISchedulerContext context, TrialState trial);

    /// <summary>Where <paramref name="trial"/> must next wait for a decision, given its results so far; null when nowhere.</summary>
    TrialHold? NextHold(TrialState trial);

    /// <summary>A result of a running trial (not its last: <see cref="OnTrialComplete"/> gets that).</summary>
    SchedulerDecision OnTrialResult(ISchedulerContext context, TrialState trial, IReadOnlyDictionary<string, double> result);

    /// <summary>The trial finished on its own stop criteria (or was stopped by the scheduler); <paramref name="result"/> is its last result, if any.</summary>
    void OnTrialComplete(ISchedulerContext context, TrialState trial, IReadOnlyDictionary<string, double>? result);

    /// <summary>The trial failed for good (ERROR).</summary>
    void OnTrialError(ISchedulerContext context, TrialState trial);

    /// <summary>The next trial to start among the PENDING and PAUSED ones that are not running, or null to wait.</summary>
    TrialState? ChooseTrialToRun(ISchedulerContext context, IReadOnlyList<TrialState> candidates);

    /// <summary>One line for the status table (Tune's <c>debug_string</c>).</summary>
    string Describe();

    /// <summary>The scheduler's state as JSON.</summary>
    JsonObject SaveState();

    /// <summary>Restores what <see cref="SaveState"/> wrote.</summary>
    void RestoreState(JsonObject state);
}
