namespace Research.Tune;

/// <summary>The names of the files in a trial directory and in an experiment directory.</summary>
public static class TrialFiles
{
    /// <summary>The trial's config, nested, as Tune writes it.</summary>
    public const string Params = "params.json";

    /// <summary>How the trial runs: algorithm, env, seed, stop criteria, checkpoint policy.</summary>
    public const string TrialSpec = "trial_spec.json";

    /// <summary>One JSON row per training iteration.</summary>
    public const string Results = "result.json";

    /// <summary>The same rows as CSV.</summary>
    public const string Progress = "progress.csv";

    /// <summary>Written by the driver to ask the trial to stop or pause.</summary>
    public const string Control = "control";

    /// <summary>Held by the one process that writes into the trial directory.</summary>
    public const string Lock = "trial.lock";

    /// <summary>Why the trial failed (the exception, or the exit code of a crash).</summary>
    public const string Error = "error.txt";

    /// <summary>The trial process's standard output.</summary>
    public const string Stdout = "stdout.log";

    /// <summary>The trial process's standard error.</summary>
    public const string Stderr = "stderr.log";

    /// <summary>The experiment's state, written atomically after status changes.</summary>
    public const string ExperimentState = "experiment_state.json";

    /// <summary>The experiment's spec as the driver ran it, read back on resume.</summary>
    public const string ExperimentSpec = "spec.json";

    /// <summary>The driver's pid; its modification time is the driver's heartbeat.</summary>
    public const string Driver = "driver.json";

    /// <summary>Held by the one driver of an experiment.</summary>
    public const string DriverLock = "driver.lock";

    /// <summary>The analysis table.</summary>
    public const string TrialsCsv = "trials.csv";

    /// <summary>The analysis summary.</summary>
    public const string Analysis = "analysis.json";
}

/// <summary>Exit codes of a trial process, read by the driver.</summary>
public static class TrialExitCodes
{
    /// <summary>The trial met a stop criterion or was told to stop.</summary>
    public const int Finished = 0;

    /// <summary>The trial threw; <c>error.txt</c> holds the exception.</summary>
    public const int Failed = 1;

    /// <summary>The driver died, so the trial ended itself without writing more.</summary>
    public const int DriverGone = 3;

    /// <summary>Another process holds the trial directory's lock.</summary>
    public const int Locked = 4;

    /// <summary>The trial was told to pause; it saved a checkpoint.</summary>
    public const int Paused = 5;
}

/// <summary>What the driver asks of a running trial through its control file.</summary>
public enum TrialControl
{
    /// <summary>Keep going.</summary>
    None,

    /// <summary>Stop for good (a stop criterion was met, or the scheduler stopped it).</summary>
    Stop,

    /// <summary>Save a checkpoint and exit; the trial resumes later.</summary>
    Pause,
}

/// <summary>
/// The driver's message to a trial (the <c>control</c> file, JSON): what to do, where to wait for the next decision, and why.
/// Each message has a higher <see cref="Sequence"/> than the one before, so a trial waiting at a hold knows when it is answered.
/// </summary>
public sealed record TrialControlMessage
{
    /// <summary>Grows with every message the driver writes to this trial.</summary>
    public int Sequence { get; init; }

    /// <summary>Keep going, stop or pause.</summary>
    public TrialControl Action { get; init; }

    /// <summary>Where the trial must next wait for a decision; null when nowhere.</summary>
    public TrialHold? Hold { get; init; }

    /// <summary>The scheduler's decision in Tune's words (<c>STOP</c>, <c>PAUSE</c>, <c>EXPLOIT</c>), written into the result row it was made on.</summary>
    public string? Decision { get; init; }

    /// <summary>Why, in words, written beside <see cref="Decision"/>.</summary>
    public string? Reason { get; init; }

    /// <summary>No message: keep going, nowhere to wait.</summary>
    public static TrialControlMessage None { get; } = new();
}

/// <summary>Reads and writes the control file.</summary>
public static class TrialControlFile
{
    /// <summary>Writes <paramref name="message"/> (its sequence one past the file's current one) to the trial in <paramref name="trialDir"/>.</summary>
    public static TrialControlMessage Write(string trialDir, TrialControlMessage message)
    {
        var next = message with { Sequence = Read(trialDir).Sequence + 1 };
        TuneJson.Write(Path.Combine(trialDir, TrialFiles.Control), next);
        return next;
    }

    /// <summary>Asks the trial in <paramref name="trialDir"/> to stop or pause.</summary>
    public static void Write(string trialDir, TrialControl control, string? decision = null, string? reason = null) =>
        Write(trialDir, new TrialControlMessage { Action = control, Decision = decision, Reason = reason });

    /// <summary>What the driver asked last, <see cref="TrialControlMessage.None"/> when nothing (or a file being replaced).</summary>
    public static TrialControlMessage Read(string trialDir)
    {
        string path = Path.Combine(trialDir, TrialFiles.Control);
        if (!File.Exists(path)) return TrialControlMessage.None;
        try
        {
            return TuneJson.Read<TrialControlMessage>(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return TrialControlMessage.None;
        }
    }
}
