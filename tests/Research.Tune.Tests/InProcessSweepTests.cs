namespace Research.Tune.Tests;

/// <summary>The driver with trials on threads of the test process: statuses, files, failures, retention, resume.</summary>
public sealed class InProcessSweepTests
{
    [Fact]
    public async Task EveryTrialFinishesWithItsFiles()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, """
            config: {slope: {grid_search: [1, 2, 3]}}
            stop: {training_iteration: 4}
            metric: episode_reward_mean
            checkpoint: {frequency: 1, keep: 2}
            max_concurrent: 2
            """);
        var result = await Worker.InProcessRunner().RunAsync(spec);

        Assert.True(result.Finished);
        Assert.All(result.Trials, t => Assert.Equal(TrialStatus.Terminated, t.Status));
        var state = ExperimentState.Load(spec.ExperimentDirectory);
        Assert.Equal(7, state.SearchSeed);
        foreach (var trial in state.Trials)
        {
            string trialDir = Path.Combine(spec.ExperimentDirectory, trial.Dir);
            Assert.Matches("^[0-9a-f]{8}_0000[0-2]$", trial.TrialId);
            Assert.StartsWith($"Fake_FakeEnv-v0_{trial.Index:D5}_slope=", trial.Dir);
            Assert.Equal([1, 2, 3, 4], Specs.Iterations(trialDir));
            Assert.Equal(5, File.ReadAllLines(Path.Combine(trialDir, TrialFiles.Progress)).Length);
            Assert.Equal(["checkpoint_000003", "checkpoint_000004"],
                CheckpointStore.List(trialDir).Select(c => Path.GetFileName(c.Path)));
            Assert.Equal(4, trial.TrainingIteration);
            Assert.Equal(400, trial.TimestepsTotal);
            Assert.Equal(4 * (trial.Index + 1) + 0.0003, trial.MetricValue!.Value, 12);
            var last = File.ReadLines(Path.Combine(trialDir, TrialFiles.Results)).Last();
            foreach (var key in new[] { "\"trial_id\"", "\"done\":true", "\"date\"", "\"timestamp\"", "\"pid\"", "\"hostname\"",
                         "\"time_total_s\"", "\"config/slope\"" })
                Assert.Contains(key, last);
        }
    }

    [Fact]
    public async Task ATrialThatThrowsIsErrorAndTheOthersFinish()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, """
            config: {throw_at: {grid_search: [0, 2, 0]}}
            stop: {training_iteration: 3}
            checkpoint: {frequency: 1}
            max_failures: 1
            """);
        var result = await Worker.InProcessRunner().RunAsync(spec);

        Assert.Equal([TrialStatus.Terminated, TrialStatus.Error, TrialStatus.Terminated], result.Trials.Select(t => t.Status));
        var failed = result.Trials[1];
        Assert.Equal(2, failed.NumFailures);
        Assert.Contains("fake failure at iteration 2", failed.Error);
        string failedDir = Path.Combine(spec.ExperimentDirectory, failed.Dir);
        Assert.Contains("InvalidOperationException: fake failure at iteration 2", File.ReadAllText(Path.Combine(failedDir, TrialFiles.Error)));
        Assert.True(File.Exists(Path.Combine(failedDir, "error_1.txt")));
        Assert.Equal([1], Specs.Iterations(failedDir));
        Assert.Equal(TrialStatus.Error, ExperimentState.Load(spec.ExperimentDirectory).Trials[1].Status);
    }

    [Fact]
    public async Task CheckpointRetentionKeepsExactlyKeepRankedByScore()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, """
            config: {slope: -1}
            stop: {training_iteration: 9}
            checkpoint: {frequency: 1, keep: 3, score: episode_reward_mean}
            """);
        var result = await Worker.InProcessRunner().RunAsync(spec);
        string trialDir = Path.Combine(spec.ExperimentDirectory, result.Trials[0].Dir);
        // The reward falls, so the best are the first two; the newest is always kept for resuming.
        Assert.Equal([1, 2, 9], CheckpointStore.List(trialDir).Select(c => c.TrainingIteration));
    }

    [Fact]
    public async Task CorruptStateFailsClearlyAndRebuildResumes()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, """
            config: {slope: {grid_search: [1, 2]}, throw_at: {grid_search: [0, 0, 2]}}
            stop: {training_iteration: 3}
            """);
        await Worker.InProcessRunner().RunAsync(spec);
        string statePath = Path.Combine(spec.ExperimentDirectory, TrialFiles.ExperimentState);
        File.WriteAllText(statePath, "{\"trials\": [ {\"trial_id\": ");

        var e = await Assert.ThrowsAsync<CorruptStateException>(() => Worker.InProcessRunner().ResumeAsync(spec.ExperimentDirectory));
        Assert.Contains(statePath, e.Message);
        Assert.Contains("--resume --rebuild", e.Message);

        var rebuilt = await Worker.InProcessRunner().ResumeAsync(spec.ExperimentDirectory, rebuild: true);
        Assert.Equal(6, rebuilt.Trials.Count);
        Assert.Equal(4, rebuilt.Count(TrialStatus.Terminated));
        Assert.Equal(2, rebuilt.Count(TrialStatus.Error));
        foreach (var trial in rebuilt.Trials.Where(t => t.Status == TrialStatus.Terminated))
            Assert.Equal([1, 2, 3], Specs.Iterations(Path.Combine(spec.ExperimentDirectory, trial.Dir)));
        Assert.Equal(6, ExperimentState.Load(spec.ExperimentDirectory).Trials.Count);
    }

    [Fact]
    public async Task InterruptedSweepPausesAndResumesWithoutDuplicateRows()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, """
            config: {slope: {grid_search: [1, 2, 3]}, iteration_delay_ms: 20}
            stop: {training_iteration: 15}
            checkpoint: {frequency: 4}
            max_concurrent: 2
            """);
        using var cancel = new CancellationTokenSource();
        var observer = new CancelAfterResults(cancel, 5);
        var paused = await Worker.InProcessRunner(Worker.Fast with { Observer = observer }).RunAsync(spec, cancel.Token);
        Assert.Contains(paused.Trials, t => t.Status == TrialStatus.Paused);
        Assert.All(ExperimentState.Load(spec.ExperimentDirectory).Trials, t => Assert.NotEqual(TrialStatus.Running, t.Status));

        var resumed = await Worker.InProcessRunner().ResumeAsync(spec.ExperimentDirectory);
        Assert.All(resumed.Trials, t => Assert.Equal(TrialStatus.Terminated, t.Status));
        foreach (var trial in resumed.Trials)
            Assert.Equal(Enumerable.Range(1, 15), Specs.Iterations(Path.Combine(spec.ExperimentDirectory, trial.Dir)));
    }

    [Fact]
    public async Task ARestartDropsRowsPastTheRestoredCheckpoint()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, """
            stop: {training_iteration: 6}
            checkpoint: {frequency: 2, at_end: false}
            """);
        await Worker.InProcessRunner().RunAsync(spec);
        var trialDir = Directory.GetDirectories(spec.ExperimentDirectory).Single();
        // Forget the last checkpoint, as if the trial had died after writing rows 5 and 6.
        Directory.Delete(Path.Combine(trialDir, "checkpoint_000006"), recursive: true);
        File.AppendAllText(Path.Combine(trialDir, TrialFiles.Results), "{\"training_iteration\": 7, \"torn");

        Assert.Equal(TrialExitCodes.Finished, TrialProcess.Run(trialDir, new TrialWorker.FakeTrialFactory(), new() { WatchDriver = false }));
        Assert.Equal([1, 2, 3, 4, 5, 6], Specs.Iterations(trialDir));
        Assert.Equal(7, File.ReadAllLines(Path.Combine(trialDir, TrialFiles.Progress)).Length);
    }

    [Fact]
    public async Task ASecondDriverIsRefused()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, "stop: {training_iteration: 1}");
        await Worker.InProcessRunner().RunAsync(spec);
        using var held = DirectoryLock.TryAcquire(Path.Combine(spec.ExperimentDirectory, TrialFiles.DriverLock), TimeSpan.Zero);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Worker.InProcessRunner().ResumeAsync(spec.ExperimentDirectory));
        Assert.Contains("another driver", e.Message);
    }

    [Fact]
    public async Task AnExistingExperimentIsNotOverwritten()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, "stop: {training_iteration: 1}");
        await Worker.InProcessRunner().RunAsync(spec);
        var e = await Assert.ThrowsAsync<SpecException>(() => Worker.InProcessRunner().RunAsync(spec));
        Assert.Contains("--resume", e.Message);
    }

    private sealed class CancelAfterResults(CancellationTokenSource cancel, int results) : ISweepObserver
    {
        private int _seen;

        public void OnTrialResult(TrialSnapshot trial, IReadOnlyDictionary<string, double> result)
        {
            if (++_seen == results) cancel.Cancel();
        }
    }
}
