namespace Research.Tune;

/// <summary>Runs each trial on a thread of the driver's process: no process start-up, for measurements and fast tests.</summary>
/// <remarks>A trial here cannot be killed mid-iteration: <see cref="ITrialHandle.Kill"/> stops it before its next iteration.</remarks>
public sealed class InProcessExecutor(ITrialFactory factory, TrialProcessOptions? options = null) : ITrialExecutor
{
    public ITrialHandle Start(string trialDir)
    {
        var cancellation = new CancellationTokenSource();
        var trialOptions = (options ?? new TrialProcessOptions()) with { WatchDriver = false, Cancellation = cancellation.Token };
        var run = Task.Factory.StartNew(() => TrialProcess.Run(trialDir, factory, trialOptions),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return new InProcessHandle(run, cancellation);
    }

    private sealed class InProcessHandle(Task<int> run, CancellationTokenSource cancellation) : ITrialHandle
    {
        public Task<int> Exited => run;

        public void Kill() => cancellation.Cancel();

        public void Dispose() => cancellation.Dispose();
    }
}
