namespace Research.Tune.Tests;

/// <summary>TPE through the driver: trials made as results arrive, a concurrency limit that waits, and a resumed sweep that
/// suggests exactly what an uninterrupted one does.</summary>
public sealed class TpeSweepTests
{
    private const string Body = """
        config: {slope: {uniform: [0, 10]}, learning_rate: {loguniform: [0.0001, 0.01]}, iteration_delay_ms: 2}
        num_samples: 12
        stop: {training_iteration: 3}
        metric: episode_reward_mean
        search: {type: tpe, n_startup_trials: 4, max_concurrent: 2}
        """;

    [Fact]
    public async Task TrialsAreSuggestedAsResultsArriveWithinTheLimit()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, Body + "\nmax_concurrent: 4");
        var observer = new Concurrency();
        var result = await Worker.InProcessRunner(Worker.Fast with { Observer = observer }).RunAsync(spec);

        Assert.Equal(12, result.Trials.Count);
        Assert.All(result.Trials, t => Assert.Equal(TrialStatus.Terminated, t.Status));
        Assert.Equal(Enumerable.Range(0, 12), ExperimentState.Load(spec.ExperimentDirectory).Trials.Select(t => t.Index));
        Assert.True(observer.MostRunning <= 2, $"{observer.MostRunning} trials ran at once under search.max_concurrent 2");
        // The model steers later trials to larger slopes (the reward grows with the slope).
        var slopes = result.Trials.Select(t => Convert.ToDouble(t.Config["slope"])).ToList();
        Assert.True(slopes.Skip(4).Average() > slopes.Take(4).Average(), string.Join(", ", slopes));
        Assert.NotNull(ExperimentState.Load(spec.ExperimentDirectory).Searcher);
    }

    [Fact]
    public async Task AnInterruptedTpeSweepResumesWithTheSameSuggestions()
    {
        using var dir = new TempDir();
        string body = Body + "\nmax_concurrent: 1";
        var whole = await Worker.InProcessRunner().RunAsync(Specs.Load(dir, body, "whole"));

        var spec = Specs.Load(dir, body, "cut");
        using var cancel = new CancellationTokenSource();
        await Worker.InProcessRunner(Worker.Fast with { Observer = new CancelAfter(cancel, 16) }).RunAsync(spec, cancel.Token);
        var resumed = await Worker.InProcessRunner().ResumeAsync(spec.ExperimentDirectory);

        Assert.Equal(12, resumed.Trials.Count);
        Assert.Equal(whole.Trials.Select(t => Convert.ToDouble(t.Config["slope"])), resumed.Trials.Select(t => Convert.ToDouble(t.Config["slope"])));
        foreach (var trial in resumed.Trials)
            Assert.Equal([1, 2, 3], Specs.Iterations(Path.Combine(spec.ExperimentDirectory, trial.Dir)));
    }

    [Theory]
    [InlineData("search: tpee", "search.type", "did you mean 'tpe'?")]
    [InlineData("search: {type: tpe, n_startup_trial: 3}", "search.n_startup_trial", "did you mean 'search.n_startup_trials'?")]
    [InlineData("search: {type: tpe, gamma: 2}", "search", "out of range [0, 1]")]
    public void BadSearchersAreRefusedWithTheKeyNamed(string search, string key, string reason)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<SpecException>(() => Specs.Load(dir, $$$"""
            config: {slope: {uniform: [0, 1]}}
            stop: {training_iteration: 3}
            metric: episode_reward_mean
            {{{search}}}
            """));
        Assert.Equal(key, e.Key);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void TpeRefusesAGrid()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<SpecException>(() => Specs.Load(dir, """
            config: {slope: {grid_search: [1, 2]}}
            stop: {training_iteration: 3}
            metric: episode_reward_mean
            search: tpe
            """));
        Assert.Equal("config.slope.grid_search", e.Key);
        Assert.Contains("use choice", e.Message);
    }

    private sealed class Concurrency : ISweepObserver
    {
        private readonly HashSet<string> _running = [];

        public int MostRunning { get; private set; }

        public void OnTrialStatus(TrialSnapshot trial)
        {
            if (trial.Status == TrialStatus.Running) _running.Add(trial.TrialId);
            else _running.Remove(trial.TrialId);
            MostRunning = Math.Max(MostRunning, _running.Count);
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
