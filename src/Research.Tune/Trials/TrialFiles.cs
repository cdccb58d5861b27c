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

    /// <summary>Stop for good (a stop criterion was met).</summary>
    Stop,

    /// <summary>Save a checkpoint and exit; the trial resumes later.</summary>
    Pause,
}

/// <summary>Reads and writes the control file.</summary>
public static class TrialControlFile
{
    /// <summary>Asks the trial in <paramref name="trialDir"/> to stop or pause.</summary>
    public static void Write(string trialDir, TrialControl control) =>
        AtomicFile.WriteAllText(Path.Combine(trialDir, TrialFiles.Control), control.ToString().ToLowerInvariant());

    /// <summary>What the driver asked, <see cref="TrialControl.None"/> when nothing.</summary>
    public static TrialControl Read(string trialDir)
    {
        string path = Path.Combine(trialDir, TrialFiles.Control);
        if (!File.Exists(path)) return TrialControl.None;
        try
        {
            return File.ReadAllText(path).Trim() switch
            {
                "pause" => TrialControl.Pause,
                "stop" => TrialControl.Stop,
                _ => TrialControl.None,
            };
        }
        catch (IOException)
        {
            return TrialControl.None;
        }
    }

    /// <summary>Removes a request left from an earlier run.</summary>
    public static void Clear(string trialDir) => AtomicFile.Delete(Path.Combine(trialDir, TrialFiles.Control));
}
