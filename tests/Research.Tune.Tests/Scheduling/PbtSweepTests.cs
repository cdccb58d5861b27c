namespace Research.Tune.Tests;

/// <summary>Population based training through the real driver: exact exploits (the donor's checkpoint, the mutated config), Tune's
/// policy logs, time-multiplexing, and the replay that retrains a trial's schedule from scratch to the same end.</summary>
public sealed class PbtSweepTests
{
    private const string Synch = """
        config: {slope: {grid_search: [1, 2, 3, 4]}}
        stop: {training_iteration: 8}
        metric: episode_reward_mean
        max_concurrent: 4
        scheduler:
          type: pbt
          time_attr: training_iteration
          perturbation_interval: 2
          synch: true
          hyperparam_mutations: {slope: [1, 2, 3, 4, 5, 6]}
        """;

    [Fact]
    public async Task AnExploitContinuesFromTheDonorsCheckpointWithTheMutatedConfig()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, Synch);
        var result = await Worker.InProcessRunner().RunAsync(spec);
        Assert.All(result.Trials, t => Assert.Equal((TrialStatus.Terminated, 8), (t.Status, t.TrainingIteration)));

        var steps = PbtPolicyLog.Read(Path.Combine(spec.ExperimentDirectory, PbtPolicyLog.GlobalFile));
        // Perturbations at 2, 4 and 6; each time the worst of four clones the best.
        Assert.Equal(3, steps.Count);
        Assert.Equal([2.0, 4, 6], steps.Select(s => s.CloneIteration));
        var byId = result.Trials.ToDictionary(t => t.TrialId);
        foreach (var step in steps)
        {
            var target = ResultLine.ReadAll(Path.Combine(spec.ExperimentDirectory, byId[step.TargetTag].Dir));
            var donor = ResultLine.ReadAll(Path.Combine(spec.ExperimentDirectory, byId[step.CloneTag].Dir));
            int at = (int)step.CloneIteration;
            // The target's next row continues the donor's state at the clone iteration with the new slope, bit for bit.
            double slope = Convert.ToDouble(step.NewConfig["slope"]);
            Assert.Equal(donor[at - 1]["episode_reward_mean"] + slope, target[at]["episode_reward_mean"]);
            Assert.Equal(donor[at - 1]["timesteps_total"] + 100, target[at]["timesteps_total"]);
        }
        // The last exploit's config is the target's config now, in params.json too.
        var last = steps[^1];
        var exploited = byId[last.TargetTag];
        Assert.Equal(Convert.ToDouble(last.NewConfig["slope"]), Convert.ToDouble(exploited.Config["slope"]));
        Assert.Equal(Convert.ToDouble(last.NewConfig["slope"]),
            Convert.ToDouble(TrialSpec.LoadConfig(Path.Combine(spec.ExperimentDirectory, exploited.Dir))["slope"]));
        // Every trial wrote every iteration once, across its pauses and exploits.
        foreach (var trial in result.Trials)
            Assert.Equal(Enumerable.Range(1, 8), Specs.Iterations(Path.Combine(spec.ExperimentDirectory, trial.Dir)));
        // The policy file of a target is its donor's lineage plus its own step.
        var policy = PbtPolicyLog.Read(PbtPolicyLog.PolicyFile(spec.ExperimentDirectory, last.TargetTag));
        Assert.Equal(last, policy[^1], PolicyStepComparer.Instance);
    }

    [Fact]
    public async Task SynchronousPbtIsRepeatable()
    {
        using var dir = new TempDir();
        var first = Specs.Load(dir, Synch, "a");
        var second = Specs.Load(dir, Synch, "b");
        var a = await Worker.InProcessRunner().RunAsync(first);
        var b = await Worker.InProcessRunner().RunAsync(second);
        Assert.Equal(a.Trials.Select(t => (t.MetricValue, t.Config["slope"])), b.Trials.Select(t => (t.MetricValue, t.Config["slope"])));
    }

    [Fact]
    public async Task AReplayRetrainsATrialsScheduleToTheSameEnd()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, Synch);
        var result = await Worker.InProcessRunner().RunAsync(spec);
        var files = Directory.GetFiles(spec.ExperimentDirectory, "pbt_policy_*.txt");
        string longest = files.OrderByDescending(f => File.ReadAllLines(f).Length).First();
        string replayedId = Path.GetFileNameWithoutExtension(longest)["pbt_policy_".Length..];
        var replayed = result.Trials.Single(t => t.TrialId == replayedId);

        var replay = Specs.Load(dir, $"""
            config: {"{"}slope: 1{"}"}
            stop: {"{"}training_iteration: 8{"}"}
            metric: episode_reward_mean
            scheduler: {"{"}type: pbt_replay, policy_file: {longest}{"}"}
            """, "replay");
        var run = await Worker.InProcessRunner().RunAsync(replay);
        var trial = Assert.Single(run.Trials);
        Assert.Equal(TrialStatus.Terminated, trial.Status);
        Assert.Equal(replayed.MetricValue, trial.MetricValue);
        Assert.Equal(replayed.Config["slope"], trial.Config["slope"]);
        var rows = ResultLine.ReadAll(Path.Combine(replay.ExperimentDirectory, trial.Dir));
        Assert.Equal(Enumerable.Range(1, 8), rows.Select(r => (int)r["training_iteration"]));
        Assert.Equal(ResultLine.ReadAll(Path.Combine(spec.ExperimentDirectory, replayed.Dir))[^1]["timesteps_total"], rows[^1]["timesteps_total"]);
    }

    [Fact]
    public async Task AsynchronousPbtTimeMultiplexesAPopulationLargerThanItsSlots()
    {
        using var dir = new TempDir();
        var spec = Specs.Load(dir, """
            config: {slope: {grid_search: [1, 2, 3, 4, 5, 6]}}
            stop: {training_iteration: 6}
            metric: episode_reward_mean
            max_concurrent: 2
            scheduler:
              type: pbt
              time_attr: training_iteration
              perturbation_interval: 2
              hyperparam_mutations: {slope: {uniform: [0.5, 8]}}
            """);
        var observer = new PausedTrials();
        var result = await Worker.InProcessRunner(Worker.Fast with { Observer = observer }).RunAsync(spec);
        Assert.All(result.Trials, t => Assert.Equal((TrialStatus.Terminated, 6), (t.Status, t.TrainingIteration)));
        // Trials yield their slots at perturbations while others wait, so every trial was paused at least once.
        Assert.Equal(result.Trials.Select(t => t.TrialId).Order(), observer.Paused.Order());
        // A trial keeps the rows it wrote before an exploit; its iterations then continue from the donor's checkpoint, which
        // in asynchronous PBT may be older than the trial (Tune's iterations jump back the same way).
        foreach (var trial in result.Trials)
        {
            var iterations = Specs.Iterations(Path.Combine(spec.ExperimentDirectory, trial.Dir));
            Assert.Equal(6, iterations[^1]);
            Assert.True(iterations.Count >= 6);
        }
        Assert.NotEmpty(PbtPolicyLog.Read(Path.Combine(spec.ExperimentDirectory, PbtPolicyLog.GlobalFile)));
    }

    private sealed class PausedTrials : ISweepObserver
    {
        public HashSet<string> Paused { get; } = [];

        public void OnTrialStatus(TrialSnapshot trial)
        {
            if (trial.Status == TrialStatus.Paused) Paused.Add(trial.TrialId);
        }
    }

    private sealed class PolicyStepComparer : IEqualityComparer<PbtPolicyStep>
    {
        public static readonly PolicyStepComparer Instance = new();

        public bool Equals(PbtPolicyStep? x, PbtPolicyStep? y) => PbtPolicyLog.Format(x!) == PbtPolicyLog.Format(y!);

        public int GetHashCode(PbtPolicyStep obj) => PbtPolicyLog.Format(obj).GetHashCode();
    }
}
