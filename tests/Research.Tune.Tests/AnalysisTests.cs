using System.Text.Json;

namespace Research.Tune.Tests;

public sealed class AnalysisTests
{
    [Theory]
    [InlineData(ResultScope.Last, OptimizationMode.Max, 2.0)]
    [InlineData(ResultScope.Max, OptimizationMode.Max, 9.0)]
    [InlineData(ResultScope.Max, OptimizationMode.Min, 1.0)]
    [InlineData(ResultScope.Avg, OptimizationMode.Max, 4.0)]
    [InlineData(ResultScope.Last5Avg, OptimizationMode.Max, 3.6)]
    [InlineData(ResultScope.Last10Avg, OptimizationMode.Max, 4.0)]
    public void ScopesScoreAsTune(ResultScope scope, OptimizationMode mode, double expected)
    {
        double[] values = [1, 9, 3, 4, 5, 2, 7, 1, 6, 2];
        Assert.Equal(expected, ResultScopes.Score(values, scope, mode)!.Value, 12);
        Assert.Null(ResultScopes.Score([], scope, mode));
    }

    [Fact]
    public void ScopeSpellingsParse()
    {
        Assert.Equal(ResultScope.Last5Avg, ResultScopes.Parse("last-5-avg"));
        Assert.Equal(ResultScope.Max, ResultScopes.Parse("all"));
        Assert.Contains("did you mean 'last-5-avg'", Assert.Throws<ArgumentException>(() => ResultScopes.Parse("last-5avg")).Message);
    }

    [Fact]
    public void StopCriteriaFireAtOrAboveAnyThreshold()
    {
        var stop = new StopCriteria(new Dictionary<string, double> { ["episode_reward_mean"] = 475, ["timesteps_total"] = 1000 });
        Assert.Null(stop.Reason(new Dictionary<string, double> { ["episode_reward_mean"] = 474.9, ["timesteps_total"] = 999 }));
        Assert.Null(stop.Reason(new Dictionary<string, double> { ["other"] = 1e9 }));
        Assert.Equal("episode_reward_mean=475 >= 475", stop.Reason(new Dictionary<string, double> { ["episode_reward_mean"] = 475 }));
        Assert.StartsWith("timesteps_total", stop.Reason(new Dictionary<string, double> { ["episode_reward_mean"] = 1, ["timesteps_total"] = 1200 }));
    }

    [Fact]
    public async Task BestTrialConfigAndCheckpointAndReports()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, """
            config: {slope: {grid_search: [2, -1, 1]}}
            stop: {training_iteration: 4}
            metric: episode_reward_mean
            checkpoint: {frequency: 1}
            """);
        await Worker.InProcessRunner().RunAsync(spec);
        var analysis = ExperimentAnalysis.Load(spec.ExperimentDirectory);

        Assert.Equal(3, analysis.Trials.Count);
        Assert.All(analysis.Trials, t => Assert.Equal((4, 400L), (t.Iterations, t.Timesteps)));
        Assert.Equal(2L, analysis.BestConfig!["slope"]);
        Assert.EndsWith("checkpoint_000004", analysis.BestCheckpoint);
        var worst = analysis.GetBestTrial("episode_reward_mean", OptimizationMode.Min);
        Assert.Equal(-1L, worst!.Config["slope"]);
        // For a falling reward the best checkpoint is the first one.
        Assert.EndsWith("checkpoint_000001", worst.BestCheckpoint("episode_reward_mean", OptimizationMode.Max)!.Path);

        analysis.WriteReports();
        var csv = File.ReadAllLines(Path.Combine(spec.ExperimentDirectory, TrialFiles.TrialsCsv));
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("trial_id,status,config/slope,training_iteration,timesteps_total,time_total_s,episode_reward_mean,reason,dir", csv[0]);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(spec.ExperimentDirectory, TrialFiles.Analysis)));
        var best = json.RootElement.GetProperty("best_trial");
        Assert.Equal(2, best.GetProperty("config").GetProperty("slope").GetInt32());
        Assert.Equal(8.0003, best.GetProperty("score").GetDouble(), 9);
        Assert.Equal(3, json.RootElement.GetProperty("num_terminated").GetInt32());
    }

    [Fact]
    public void StatusTableShowsRunningTrialsFirst()
    {
        var snapshot = new SweepSnapshot("s", "d", "m", OptimizationMode.Max, ["lr"],
        [
            new TrialSnapshot("a_00000", "x", TrialStatus.Terminated, new Dictionary<string, object?> { ["lr"] = 0.001234567 }, 3, 300, 1.26, 5, 0, null),
            new TrialSnapshot("a_00001", "y", TrialStatus.Running, new Dictionary<string, object?> { ["lr"] = 0.1 }, 1, 100, 0.5, 7, 0, null),
        ], TimeSpan.FromSeconds(61));
        Assert.Equal(["Trial", "Status", "lr", "iter", "timesteps", "m", "time (s)"], StatusTable.Columns(snapshot));
        var rows = StatusTable.Rows(snapshot);
        Assert.Equal(["a_00001", "RUNNING", "0.1", "1", "100", "7", "0.5"], rows[0]);
        Assert.Equal(["a_00000", "TERMINATED", "0.0012346", "3", "300", "5", "1.3"], rows[1]);
        Assert.Equal("s: 2 trials (1 RUNNING, 1 TERMINATED) | best a_00001 m=7 | 00:01:01", StatusTable.Summary(snapshot));
    }
}
