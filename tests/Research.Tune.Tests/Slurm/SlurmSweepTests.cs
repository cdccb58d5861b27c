using System.Diagnostics;

namespace Research.Tune.Tests;

/// <summary>Sweeps whose trials are Slurm jobs on a real single-node cluster: completion, a user's scancel, a killed driver that
/// re-attaches, a controller restart, and Slurm's own errors passed on with the trial named.</summary>
[Collection("slurm")]
public sealed class SlurmSweepTests(SlurmCluster cluster)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private const string Executor = "executor: {type: slurm, poll_interval: 0.2, time_limit: '10:00'}";

    private static SweepRunner Runner(SweepSpec spec) =>
        new(new TrialWorker.FakeTrialFactory(), ExecutorFactory.Create(spec, Worker.TrialCommand), Worker.Fast);

    [Fact]
    public async Task ASweepRunsToTheEndAsSlurmJobs()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, $"""
            config: {"{"}slope: {"{"}grid_search: [1, 2, 3]{"}"}{"}"}
            stop: {"{"}training_iteration: 4{"}"}
            metric: episode_reward_mean
            checkpoint: {"{"}frequency: 2{"}"}
            max_concurrent: 2
            {Executor}
            """);
        var result = await Runner(spec).RunAsync(spec).WaitAsync(Patience);

        Assert.All(result.Trials, t => Assert.Equal((TrialStatus.Terminated, 4), (t.Status, t.TrainingIteration)));
        foreach (var trial in result.Trials)
        {
            string trialDir = Path.Combine(spec.ExperimentDirectory, trial.Dir);
            Assert.Equal([1, 2, 3, 4], Specs.Iterations(trialDir));
            Assert.Contains("#SBATCH --job-name=research-" + trial.TrialId, File.ReadAllText(Path.Combine(trialDir, SlurmExecutor.ScriptFile)));
            var exit = Assert.Single(Directory.GetFiles(trialDir, "slurm-*.exit"));
            Assert.Equal("0", File.ReadAllText(exit).Trim());
            Assert.False(TrialSpec.Load(trialDir).WatchDriver);
        }
        Assert.Equal("idle", cluster.NodeState());
    }

    [Fact]
    public async Task AScancelledTrialIsMarkedAndTheSweepGoesOn()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, $"""
            config: {"{"}hang_at: {"{"}grid_search: [3, 0]{"}"}{"}"}
            stop: {"{"}training_iteration: 4{"}"}
            max_concurrent: 2
            {Executor}
            """);
        var sweep = Runner(spec).RunAsync(spec);
        string job = await WaitAsync(() =>
        {
            var state = TryLoad(spec.ExperimentDirectory);
            var hanging = state?.Trials.FirstOrDefault(t => t.Index == 0);
            return hanging is { Job: { } id } && Specs.Iterations(Path.Combine(spec.ExperimentDirectory, hanging.Dir)).Count >= 2 ? id : null;
        });
        cluster.Cancel(job);
        var result = await sweep.WaitAsync(Patience);

        Assert.Equal(TrialStatus.Error, result.Trials[0].Status);
        Assert.Contains($"Slurm job {job} was CANCELLED", result.Trials[0].Error);
        Assert.Equal((TrialStatus.Terminated, 4), (result.Trials[1].Status, result.Trials[1].TrainingIteration));
    }

    [Fact]
    public async Task AKilledDriverReattachesToItsJobsWithoutSubmittingThemTwice()
    {
        using var dir = new TempDir();
        string specPath = Specs.Write(dir, $"""
            config: {"{"}slope: {"{"}grid_search: [1, 2]{"}"}, iteration_delay_ms: 150{"}"}
            stop: {"{"}training_iteration: 25{"}"}
            checkpoint: {"{"}frequency: 5{"}"}
            max_concurrent: 2
            {Executor}
            """);
        string experiment = Path.Combine(dir.Path, "exp");
        using var driver = Process.Start(new ProcessStartInfo(Worker.Dotnet) { ArgumentList = { Worker.Dll, "sweep", specPath } })!;
        var jobs = await WaitAsync(() =>
        {
            var state = TryLoad(experiment);
            return state is { Trials.Count: 2 } && state.Trials.All(t => t.Job is not null && Specs.Iterations(Path.Combine(experiment, t.Dir)).Count >= 2)
                ? state.Trials.Select(t => t.Job!).ToList() : null;
        });
        driver.Kill();
        await driver.WaitForExitAsync();

        var result = await Runner(ExperimentSetup.LoadSpec(experiment)).ResumeAsync(experiment).WaitAsync(Patience);
        Assert.All(result.Trials, t => Assert.Equal((TrialStatus.Terminated, 25), (t.Status, t.TrainingIteration)));
        foreach (var (trial, job) in result.Trials.Zip(jobs))
        {
            string trialDir = Path.Combine(experiment, trial.Dir);
            // One job per trial, run once: the resumed driver watched the same job and the trial process never restarted.
            Assert.Equal([$"slurm-{job}.exit"], Directory.GetFiles(trialDir, "slurm-*.exit").Select(Path.GetFileName));
            Assert.Single(ResultLine.ReadAll(trialDir).Select(r => r["pid"]).Distinct());
            Assert.Equal(Enumerable.Range(1, 25), Specs.Iterations(trialDir));
        }
    }

    [Fact]
    public async Task AControllerRestartDuringASweepLosesNothing()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, $"""
            config: {"{"}slope: {"{"}grid_search: [1, 2, 3]{"}"}, iteration_delay_ms: 100{"}"}
            stop: {"{"}training_iteration: 20{"}"}
            checkpoint: {"{"}frequency: 5{"}"}
            max_concurrent: 2
            {Executor}
            """);
        var sweep = Runner(spec).RunAsync(spec);
        await WaitAsync(() => TryLoad(spec.ExperimentDirectory) is { } s &&
                              s.Trials.Count(t => t.Job is not null && Specs.Iterations(Path.Combine(spec.ExperimentDirectory, t.Dir)).Count >= 3) == 2
            ? "" : null);
        cluster.RestartController(TimeSpan.FromSeconds(2));
        var result = await sweep.WaitAsync(Patience);

        Assert.All(result.Trials, t => Assert.Equal((TrialStatus.Terminated, 20), (t.Status, t.TrainingIteration)));
        foreach (var trial in result.Trials)
            Assert.Equal(Enumerable.Range(1, 20), Specs.Iterations(Path.Combine(spec.ExperimentDirectory, trial.Dir)));
        Assert.DoesNotContain("drain", cluster.NodeState());
    }

    [Fact]
    public async Task AnUnknownPartitionFailsTheTrialWithSlurmsMessage()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, """
            stop: {training_iteration: 2}
            executor: {type: slurm, partition: nowhere, poll_interval: 0.2}
            """);
        var result = await Runner(spec).RunAsync(spec).WaitAsync(Patience);
        var trial = Assert.Single(result.Trials);
        Assert.Equal(TrialStatus.Error, trial.Status);
        Assert.Contains("sbatch refused the job: sbatch: error: invalid partition specified: nowhere", trial.Error);
        Assert.Contains("invalid partition", File.ReadAllText(Path.Combine(spec.ExperimentDirectory, trial.Dir, TrialFiles.Error)));
    }

    [Fact]
    public void SbatchMissingNamesTheExecutorAndHowToInstall()
    {
        using var dir = new TempDir();
        string specPath = Specs.Write(dir, "stop: {training_iteration: 2}\nexecutor: slurm");
        var info = new ProcessStartInfo(Worker.Dotnet) { ArgumentList = { Worker.Dll, "sweep", specPath }, RedirectStandardError = true };
        info.Environment["PATH"] = "/nonexistent";
        using var process = Process.Start(info)!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("executor 'slurm': 'sbatch' was not found on the PATH", stderr);
        Assert.Contains("apt-get install slurm-client", stderr);
    }

    [Theory]
    [InlineData("executor: slurn", "executor.type", "did you mean 'slurm'?")]
    [InlineData("executor: {type: slurm, partiton: debug}", "executor.partiton", "did you mean 'executor.partition'?")]
    [InlineData("executor: {type: slurm, cpus_per_trial: 0}", "executor", "out of range")]
    public void BadExecutorsAreRefusedWithTheKeyNamed(string executor, string key, string reason)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<SpecException>(() => Specs.Load(dir, "stop: {training_iteration: 2}\n" + executor));
        Assert.Equal(key, e.Key);
        Assert.Contains(reason, e.Message);
    }

    private static async Task<T> WaitAsync<T>(Func<T?> probe) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value) return value;
            await Task.Delay(50);
        }
        throw new TimeoutException("the sweep did not get there");
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
}
