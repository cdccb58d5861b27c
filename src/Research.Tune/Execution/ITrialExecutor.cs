namespace Research.Tune;

/// <summary>Starts trial processes (locally, or later on a cluster); the driver talks to trials only through their directories.</summary>
public interface ITrialExecutor
{
    /// <summary>Starts the trial whose directory is <paramref name="trialDir"/>.</summary>
    ITrialHandle Start(string trialDir);
}

/// <summary>A started trial.</summary>
public interface ITrialHandle : IDisposable
{
    /// <summary>Completes with the trial's exit code (<see cref="TrialExitCodes"/>, or any other code for a crash).</summary>
    Task<int> Exited { get; }

    /// <summary>Ends the trial now, without a checkpoint.</summary>
    void Kill();
}
