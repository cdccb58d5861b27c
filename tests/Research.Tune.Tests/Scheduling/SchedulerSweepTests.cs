using System.Text.Json;

namespace Research.Tune.Tests;

/// <summary>Schedulers through the real driver with trials on threads: exact decision points, pause/resume through checkpoints,
/// reasons in the state, result.json and analysis.json, and a resumed driver deciding as an uninterrupted one.</summary>
public sealed class SchedulerSweepTests
{
    [Fact]
    public async Task AshaStopsTrialsExactlyAtTheirRung()
    {
        using var dir = new TempDir();
        // Slopes fall, so every trial after the first is below the first's score at rung 1 and stops there.
        var spec = Specs.Load(dir, """
            config: {slope: {grid_search: [8, 7, 6, 5]}}
            stop: {training_iteration: 100}
            metric: episode_reward_mean
            max_concurrent: 1
            scheduler: {type: asha, grace_period: 1, reduction_factor: 2, max_t: 8}
            """);
        var result = await Worker.InProcessRunner().RunAsync(spec);

        Assert.All(result.Trials, t => Assert.Equal(TrialStatus.Terminated, t.Status));
        Assert.Equal([8, 1, 1, 1], result.Trials.Select(t => t.TrainingIteration));
        Assert.Contains("reached max_t", result.Trials[0].Reason);
        // The cutoff is the median of the scores recorded at the rung so far: 8.0003, then of (8.0003, 7.0003), then of three.
        Assert.Equal(["8.0003", "7.5003", "7.0003"], result.Trials.Skip(1).Select(t => t.Reason!.Split("cutoff ")[1].Split(' ')[0]));
        Assert.All(result.Trials.Skip(1), t => Assert.Contains("of rung training_iteration=1", t.Reason));
        foreach (var trial in result.Trials)
        {
            using var last = JsonDocument.Parse(File.ReadLines(Path.Combine(spec.ExperimentDirectory, trial.Dir, TrialFiles.Results)).Last());
            Assert.True(last.RootElement.GetProperty("done").GetBoolean());
            Assert.Equal("STOP", last.RootElement.GetProperty("scheduler_decision").GetString());
            Assert.Equal(trial.Reason, last.RootElement.GetProperty("scheduler_reason").GetString());
        }

        var analysis = ExperimentAnalysis.Load(spec.ExperimentDirectory);
        analysis.WriteReports();
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(spec.ExperimentDirectory, TrialFiles.Analysis)));
        Assert.Equal("asha", json.RootElement.GetProperty("scheduler").GetString());
        Assert.Equal(4, json.RootElement.GetProperty("num_stopped_early").GetInt32());
        Assert.Contains("below the cutoff", json.RootElement.GetProperty("trials")[1].GetProperty("reason").GetString());
        Assert.Contains("below the cutoff", File.ReadAllLines(Path.Combine(spec.ExperimentDirectory, TrialFiles.TrialsCsv))[2]);
    }

    [Fact]
    public async Task HyperBandPausesAtMilestonesAndResumesFromCheckpoints()
    {
        using var dir = new TempDir();
        // max_t 9, eta 3: bracket s=0 takes 3 trials to 9; bracket s=1 takes 5 to 3, keeps the best 2 and runs them on to 6.
        var spec = Specs.Load(dir, """
            config: {slope: {grid_search: [1, 2, 3, 5, 4, 9, 8, 7]}}
            stop: {training_iteration: 100}
            metric: episode_reward_mean
            max_concurrent: 2
            checkpoint: {frequency: 0, at_end: false}
            scheduler: {type: hyperband, max_t: 9, reduction_factor: 3}
            """);
        var observer = new StatusLog();
        var result = await Worker.InProcessRunner(Worker.Fast with { Observer = observer }).RunAsync(spec);

        Assert.All(result.Trials, t => Assert.Equal(TrialStatus.Terminated, t.Status));
        Assert.Equal([9, 9, 9, 3, 3, 6, 6, 3], result.Trials.Select(t => t.TrainingIteration));
        Assert.Contains("not in the best 2 of its bracket at training_iteration=3", result.Trials[3].Reason);
        Assert.Contains("its bracket finished at training_iteration=6", result.Trials[5].Reason);
        // Paused trials resumed from their checkpoints: every iteration once, and more than one process wrote the rows.
        foreach (var trial in result.Trials)
            Assert.Equal(Enumerable.Range(1, trial.TrainingIteration), Specs.Iterations(Path.Combine(spec.ExperimentDirectory, trial.Dir)));
        Assert.Contains(TrialStatus.Paused, observer.Statuses[result.Trials[5].TrialId]);
        var pausedRow = ResultLine.ReadAll(Path.Combine(spec.ExperimentDirectory, result.Trials[5].Dir))[2];
        Assert.Equal(3, pausedRow["training_iteration"]);
    }

    [Fact]
    public async Task MedianStoppingStopsATrialBelowTheMedian()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, """
            config: {slope: {grid_search: [3, 1, 4]}}
            stop: {training_iteration: 6}
            metric: episode_reward_mean
            max_concurrent: 1
            scheduler: {type: median_stopping_rule, time_attr: training_iteration, grace_period: 2, min_samples_required: 1}
            """);
        var observer = new StatusLog();
        var result = await Worker.InProcessRunner(Worker.Fast with { Observer = observer }).RunAsync(spec);
        // Trial 0 has no one to compare with at 2 and yields its slot (Tune pauses it while others wait); trial 1 is then below
        // trial 0's mean at 2 and stops; trial 2 beats the median and yields at 3; trial 0 resumes, is below trial 2's mean at 3.
        Assert.Equal([3, 2, 6], result.Trials.Select(t => t.TrainingIteration));
        Assert.Contains(TrialStatus.Paused, observer.Statuses[result.Trials[0].TrialId]);
        Assert.Contains("worse than the median 10.0003 of 1 other trials' running averages at training_iteration=3", result.Trials[0].Reason);
        Assert.Contains("worse than the median 6.0003", result.Trials[1].Reason);
        Assert.Null(result.Trials[2].Reason);
        Assert.Equal(Enumerable.Range(1, 3), Specs.Iterations(Path.Combine(spec.ExperimentDirectory, result.Trials[0].Dir)));
    }

    [Fact]
    public async Task AnInterruptedHyperBandSweepResumesToTheSameEnd()
    {
        using var dir = new TempDir();
        const string body = """
            config: {slope: {grid_search: [1, 2, 3, 5, 4, 9, 8, 7]}, iteration_delay_ms: 5}
            stop: {training_iteration: 100}
            metric: episode_reward_mean
            max_concurrent: 2
            scheduler: {type: hyperband, max_t: 9, reduction_factor: 3}
            """;
        var whole = await Worker.InProcessRunner().RunAsync(Specs.Load(dir, body, "whole"));

        var spec = Specs.Load(dir, body, "cut");
        using var cancel = new CancellationTokenSource();
        var first = await Worker.InProcessRunner(Worker.Fast with { Observer = new CancelAfter(cancel, 30) }).RunAsync(spec, cancel.Token);
        Assert.False(first.Finished);
        var saved = ExperimentState.Load(spec.ExperimentDirectory);
        Assert.NotNull(saved.Scheduler);
        var resumed = await Worker.InProcessRunner().ResumeAsync(spec.ExperimentDirectory);

        Assert.Equal(whole.Trials.Select(t => (t.Status, t.TrainingIteration, t.Reason)), resumed.Trials.Select(t => (t.Status, t.TrainingIteration, t.Reason)));
        foreach (var trial in resumed.Trials)
            Assert.Equal(Enumerable.Range(1, trial.TrainingIteration), Specs.Iterations(Path.Combine(spec.ExperimentDirectory, trial.Dir)));
    }

    [Theory]
    [InlineData("scheduler: ashaa", "scheduler.type", "did you mean 'asha'?")]
    [InlineData("scheduler: {type: asha, grace_perod: 2}", "scheduler.grace_perod", "did you mean 'scheduler.grace_period'?")]
    [InlineData("scheduler: {type: asha, grace_period: 20, max_t: 10}", "scheduler.grace_period", "must be <= max_t")]
    [InlineData("scheduler: {type: hyperband, reduction_factor: 1}", "scheduler.reduction_factor", "greater than 1")]
    [InlineData("scheduler: {type: pbt, hyperparam_mutations: {slpe: [1, 2]}}", "scheduler.hyperparam_mutations.slpe", "did you mean 'slope'?")]
    [InlineData("scheduler: {type: pbt, hyperparam_mutations: {slope: {grid_search: [1, 2]}}}", "scheduler.hyperparam_mutations.slope", "cannot be sampled")]
    [InlineData("scheduler: {type: pbt, hyperparam_mutations: {slope: [1]}, custom_explore_fn: f}", "scheduler.custom_explore_fn", "runs no code")]
    [InlineData("scheduler: {type: pbt, hyperparam_mutations: {slope: [1]}, quantile_fraction: 0.7}", "scheduler", "out of range [0, 0.5]")]
    [InlineData("scheduler: {type: pbt_replay, policy_file: nowhere.txt}", "scheduler.policy_file", "does not exist")]
    public void BadSchedulersAreRefusedWithTheKeyNamed(string scheduler, string key, string reason)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<SpecException>(() => Specs.Load(dir, $"""
            config: {"{"}slope: 1{"}"}
            stop: {"{"}training_iteration: 3{"}"}
            metric: episode_reward_mean
            {scheduler}
            """));
        Assert.Equal(key, e.Key);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void ASchedulerWithoutAMetricSaysWhereToGiveOne()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<SpecException>(() => Specs.Load(dir, "stop: {training_iteration: 3}\nscheduler: asha"));
        Assert.Equal("metric", e.Key);
        Assert.Contains("compares trials by a metric", e.Message);
    }

    /// <summary>Every status each trial passed through.</summary>
    private sealed class StatusLog : ISweepObserver
    {
        public Dictionary<string, List<TrialStatus>> Statuses { get; } = [];

        public void OnTrialStatus(TrialSnapshot trial)
        {
            if (!Statuses.TryGetValue(trial.TrialId, out var list)) Statuses[trial.TrialId] = list = [];
            list.Add(trial.Status);
        }
    }

    private sealed class CancelAfter(CancellationTokenSource cancel, int results) : ISweepObserver
    {
        private int _seen;

        public void OnTrialResult(TrialSnapshot trial, IReadOnlyDictionary<string, double> result)
        {
            if (++_seen == results) cancel.Cancel();
        }
    }
}
