using Research.Abstractions.Metrics;
using Research.Tune.TrialWorker;

namespace Research.Tune.Tests;

/// <summary>The seams the host wires: thread pinning, per-trial metric sinks (TensorBoard), sweep observers, and the one-writer lock.</summary>
public sealed class TrialHookTests
{
    [Fact]
    public async Task TrialsGetTheirThreadCountAndSinksAndObserversHearEverything()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, """
            config: {slope: {grid_search: [1, 2]}}
            stop: {training_iteration: 3}
            trial_threads: 3
            """);
        var threads = new List<int>();
        var sinks = new List<RecordingSink>();
        var options = new TrialProcessOptions
        {
            ConfigureThreads = n => { lock (threads) threads.Add(n); },
            SinkFactory = trialDir =>
            {
                var sink = new RecordingSink(trialDir);
                lock (sinks) sinks.Add(sink);
                return [sink];
            },
        };
        var observer = new RecordingObserver();
        var runner = new SweepRunner(new FakeTrialFactory(), new InProcessExecutor(new FakeTrialFactory(), options),
            Worker.Fast with { Observer = observer });
        await runner.RunAsync(spec);

        Assert.Equal([3, 3], threads);
        Assert.Equal(2, sinks.Count);
        Assert.All(sinks, s =>
        {
            Assert.True(s.Disposed);
            Assert.Equal([100L, 200L, 300L], s.Scalars.Where(x => x.Tag == "ray/tune/training_iteration").Select(x => x.Step));
            Assert.Contains(s.Scalars, x => x.Tag == "rollout/ep_rew_mean");
        });
        Assert.Equal(1, observer.Starts);
        Assert.Equal(6, observer.Results);
        Assert.Equal(2, observer.Statuses.Count(s => s == TrialStatus.Running));
        Assert.Equal(2, observer.Statuses.Count(s => s == TrialStatus.Terminated));
        Assert.True(observer.End!.Finished);
    }

    [Fact]
    public void ASecondWriterIsRefusedWhileTheTrialDirectoryIsLocked()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, "stop: {training_iteration: 2}");
        var state = ExperimentSetup.Create(spec, new FakeTrialFactory(), spec.ExperimentDirectory);
        string trialDir = Path.Combine(spec.ExperimentDirectory, state.Trials[0].Dir);
        using (DirectoryLock.TryAcquire(Path.Combine(trialDir, TrialFiles.Lock), TimeSpan.Zero))
        {
            var options = new TrialProcessOptions { WatchDriver = false, LockTimeout = TimeSpan.FromMilliseconds(100) };
            Assert.Equal(TrialExitCodes.Locked, TrialProcess.Run(trialDir, new FakeTrialFactory(), options));
            Assert.False(File.Exists(Path.Combine(trialDir, TrialFiles.Results)));
        }
        Assert.Equal(TrialExitCodes.Finished, TrialProcess.Run(trialDir, new FakeTrialFactory(), new() { WatchDriver = false }));
        Assert.Equal([1, 2], Specs.Iterations(trialDir));
    }

    private sealed class RecordingSink(string trialDir) : IMetricsSink
    {
        public string TrialDir { get; } = trialDir;
        public List<(string Tag, double Value, long Step)> Scalars { get; } = [];
        public bool Disposed { get; private set; }

        public void RecordScalar(string tag, double value, long step) => Scalars.Add((tag, value, step));
        public void Flush() { }
        public void Dispose() => Disposed = true;
    }

    private sealed class RecordingObserver : ISweepObserver
    {
        public int Starts { get; private set; }
        public int Results { get; private set; }
        public List<TrialStatus> Statuses { get; } = [];
        public SweepSnapshot? End { get; private set; }

        public void OnSweepStart(SweepSpec spec, SweepSnapshot snapshot) => Starts++;
        public void OnTrialResult(TrialSnapshot trial, IReadOnlyDictionary<string, double> result) => Results++;
        public void OnTrialStatus(TrialSnapshot trial) => Statuses.Add(trial.Status);
        public void OnSweepEnd(SweepSnapshot snapshot) => End = snapshot;
    }
}
