using System.Diagnostics;

namespace Research.Tune.Tests;

/// <summary>Trials and the driver as real processes (the TrialWorker fixture): crashes, kills, driver death and resume.</summary>
public sealed class ProcessSweepTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AKilledTrialIsRetriedFromItsCheckpoint()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, """
            config: {iteration_delay_ms: 20, hang_at: 4}
            stop: {training_iteration: 12}
            checkpoint: {frequency: 1}
            max_failures: 2
            """);
        var sweep = Worker.ProcessRunner().RunAsync(spec);
        string trialDir = await WaitForTrialDirAsync(spec.ExperimentDirectory);
        int pid = await WaitForRowsAsync(trialDir, 3);
        try
        {
            Process.GetProcessById(pid).Kill();
        }
        catch (ArgumentException)
        {
            Assert.Fail($"trial process {pid} ended before the kill; rows: {string.Join(",", Specs.Iterations(trialDir))}; stderr: {File.ReadAllText(Path.Combine(trialDir, TrialFiles.Stderr))}");
        }
        var result = await sweep.WaitAsync(Patience);

        var trial = Assert.Single(result.Trials);
        Assert.Equal(TrialStatus.Terminated, trial.Status);
        Assert.Equal(1, trial.NumFailures);
        Assert.Equal(Enumerable.Range(1, 12), Specs.Iterations(trialDir));
        var pids = ResultLine.ReadAll(trialDir).Select(r => (int)r["pid"]).Distinct().ToList();
        Assert.Equal(2, pids.Count);
        Assert.Contains("exited with code", File.ReadAllText(Path.Combine(trialDir, "error_1.txt")));
        Assert.False(File.Exists(Path.Combine(trialDir, TrialFiles.Error)));
        Assert.True(new FileInfo(Path.Combine(trialDir, TrialFiles.Stdout)).Length > 0);
    }

    [Fact]
    public async Task ACrashingTrialProcessIsRetriedAndAThrowingOneIsError()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, """
            config: {crash_at: {grid_search: [3, 0]}, throw_at: {grid_search: [0, 2]}}
            stop: {training_iteration: 5}
            checkpoint: {frequency: 1}
            max_failures: 1
            max_concurrent: 2
            """);
        var result = await Worker.ProcessRunner().RunAsync(spec).WaitAsync(Patience);
        // Trials: (crash 3, no throw), (no crash, no throw), (crash 3, throw 2), (no crash, throw 2).
        Assert.Equal([TrialStatus.Terminated, TrialStatus.Terminated, TrialStatus.Error, TrialStatus.Error],
            result.Trials.Select(t => t.Status));
        Assert.Equal(1, result.Trials[0].NumFailures);
        Assert.Equal(Enumerable.Range(1, 5), Specs.Iterations(Path.Combine(spec.ExperimentDirectory, result.Trials[0].Dir)));
        Assert.Contains("fake failure at iteration 2",
            File.ReadAllText(Path.Combine(spec.ExperimentDirectory, result.Trials[3].Dir, TrialFiles.Error)));
    }

    [Fact]
    public async Task AKilledDriverResumesWithoutLossOrDuplicates()
    {
        using var dir = new TempDir();
        string specPath = Specs.Write(dir, """
            config: {hang_at: {grid_search: [0, 5, 0, 0]}, iteration_delay_ms: 40}
            stop: {training_iteration: 20}
            checkpoint: {frequency: 1, keep: 2}
            max_concurrent: 2
            """);
        string experiment = Path.Combine(dir.Path, "exp");
        using var driver = Process.Start(new ProcessStartInfo(Worker.Dotnet) { ArgumentList = { Worker.Dll, "sweep", specPath } })!;

        // Kill the driver once one trial has finished and another is part-way (trial 1 hangs at iteration 5 until restored).
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, "the driver made no progress");
            await Task.Delay(50);
            var state = TryLoad(experiment);
            if (state is null || !state.Trials.Any(t => t.Status == TrialStatus.Terminated)) continue;
            if (state.Trials.Any(t => t.Status == TrialStatus.Running && Specs.Iterations(Path.Combine(experiment, t.Dir)).Count >= 3)) break;
        }
        driver.Kill();
        await driver.WaitForExitAsync();

        var before = ExperimentState.Load(experiment);
        var rowsBefore = before.Trials.ToDictionary(t => t.Dir, t => ReadRows(Path.Combine(experiment, t.Dir)));
        var orphans = before.Trials.Where(t => t.Status == TrialStatus.Running)
            .SelectMany(t => ResultLine.ReadAll(Path.Combine(experiment, t.Dir)).Select(r => (int)r["pid"]).TakeLast(1)).ToList();
        Assert.NotEmpty(orphans);
        var finishedBefore = before.Trials.Where(t => t.Status == TrialStatus.Terminated).Select(t => t.Dir).ToList();

        var result = await Worker.ProcessRunner().ResumeAsync(experiment).WaitAsync(Patience);

        Assert.All(result.Trials, t => Assert.Equal(TrialStatus.Terminated, t.Status));
        Assert.Equal(4, Directory.GetDirectories(experiment).Length);
        Assert.All(orphans, pid => Assert.True(Exited(pid), $"trial process {pid} outlived its driver"));
        foreach (var trial in result.Trials)
        {
            string trialDir = Path.Combine(experiment, trial.Dir);
            var rows = ReadRows(trialDir);
            Assert.Equal(Enumerable.Range(1, 20), Specs.Iterations(trialDir));
            // Rows written before the kill survive byte for byte, up to the last one (whose checkpoint may not have landed).
            var kept = rowsBefore[trial.Dir].SkipLast(1).ToList();
            Assert.Equal(kept, rows.Take(kept.Count));
            if (finishedBefore.Contains(trial.Dir)) Assert.Equal(rowsBefore[trial.Dir], rows);
        }
    }

    [Fact]
    public async Task AKilledHyperBandDriverResumesToTheSameDecisions()
    {
        using var dir = new TempDir();
        const string body = """
            config: {slope: {grid_search: [1, 2, 3, 5, 4, 9, 8, 7]}, iteration_delay_ms: 30}
            stop: {training_iteration: 100}
            metric: episode_reward_mean
            max_concurrent: 2
            checkpoint: {frequency: 1, keep: 2}
            scheduler: {type: hyperband, max_t: 9, reduction_factor: 3}
            """;
        // HyperBand's decisions depend only on the results at its milestones, so an uninterrupted run is the reference.
        var whole = await Worker.InProcessRunner().RunAsync(Specs.Load(dir, body, "whole"));
        string specPath = Specs.Write(dir, body, "cut");
        string experiment = Path.Combine(dir.Path, "cut");
        using var driver = Process.Start(new ProcessStartInfo(Worker.Dotnet) { ArgumentList = { Worker.Dll, "sweep", specPath } })!;
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, "the driver made no progress");
            await Task.Delay(50);
            var state = TryLoad(experiment);
            if (state is not null && state.Trials.Count(t => t.Status == TrialStatus.Paused) >= 2 && state.Trials.Any(t => t.Status == TrialStatus.Running)) break;
        }
        driver.Kill();
        await driver.WaitForExitAsync();

        var resumed = await Worker.ProcessRunner().ResumeAsync(experiment).WaitAsync(Patience);
        Assert.Equal(whole.Trials.Select(t => (t.Status, t.TrainingIteration, t.Reason)), resumed.Trials.Select(t => (t.Status, t.TrainingIteration, t.Reason)));
        foreach (var trial in resumed.Trials)
            Assert.Equal(Enumerable.Range(1, trial.TrainingIteration), Specs.Iterations(Path.Combine(experiment, trial.Dir)));
    }

    [Fact]
    public async Task ATrialEndsItselfWhenItsDriverIsGone()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, "config: {hang_at: 2}\nstop: {training_iteration: 5}");
        var state = ExperimentSetup.Create(spec, new TrialWorker.FakeTrialFactory(), spec.ExperimentDirectory);
        // A driver record whose process has already exited.
        using var dead = Process.Start(new ProcessStartInfo(Worker.Dotnet, "--version") { RedirectStandardOutput = true })!;
        await dead.WaitForExitAsync();
        File.WriteAllText(Path.Combine(spec.ExperimentDirectory, TrialFiles.Driver),
            $"{{\"pid\": {dead.Id}, \"hostname\": \"{Environment.MachineName}\", \"started\": \"2026-01-01T00:00:00Z\"}}");

        using var trial = new LocalProcessExecutor(Worker.TrialCommand).Start(Path.Combine(spec.ExperimentDirectory, state.Trials[0].Dir));
        Assert.Equal(TrialExitCodes.DriverGone, await trial.Exited.WaitAsync(Patience));
    }

    private static ExperimentState? TryLoad(string experiment)
    {
        try
        {
            return ExperimentState.Load(experiment);
        }
        catch (CorruptStateException)
        {
            return null;
        }
    }

    private static List<string> ReadRows(string trialDir)
    {
        string path = Path.Combine(trialDir, TrialFiles.Results);
        return File.Exists(path) ? File.ReadAllLines(path).Where(l => l.EndsWith('}')).ToList() : [];
    }

    /// <summary>Whether the process has ended, waiting up to a few seconds: an orphan that has exited stays a zombie until
    /// the init process reaps it, which some sandboxes do lazily, and a zombie still counts as running for <see cref="Process"/>.</summary>
    private static bool Exited(int pid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!Ended(pid))
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(100);
        }
        return true;
    }

    private static bool Ended(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited) return true;
        }
        catch (ArgumentException)
        {
            return true;
        }
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task<string> WaitForTrialDirAsync(string experiment)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(experiment) && Directory.GetDirectories(experiment) is [var trialDir]) return trialDir;
            await Task.Delay(20);
        }
        throw new TimeoutException("no trial directory appeared");
    }

    private static async Task<int> WaitForRowsAsync(string trialDir, int rows)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var all = ResultLine.ReadAll(trialDir);
            if (all.Count >= rows) return (int)all[^1]["pid"];
            await Task.Delay(20);
        }
        throw new TimeoutException($"the trial wrote fewer than {rows} rows");
    }
}
