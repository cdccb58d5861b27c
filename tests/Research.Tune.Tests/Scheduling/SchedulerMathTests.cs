namespace Research.Tune.Tests;

/// <summary>The schedulers' bookkeeping against Tune's own numbers (its docstrings and formulas), without a driver.</summary>
public sealed class SchedulerMathTests
{
    private static readonly SchedulerObjective Reward = new("training_iteration", "r", OptimizationMode.Max);

    [Fact]
    public void AshaRungsAndCutoffsMatchTunesBracketExample()
    {
        // Tune's _Bracket docstring: _Bracket(min_t=1, max_t=10, rf=2, s=0); results (1, 2), (1, 4) continue, cutoff 3.0, (1, 1) stops.
        var asha = new AsyncHyperBandScheduler(new AsyncHyperBandOptions { GracePeriod = 1, MaxT = 10, ReductionFactor = 2 }, Reward, seed: 0);
        Assert.Equal([8.0, 4, 2, 1], asha.Milestones(0));
        var context = new FakeContext(3);
        foreach (var t in context.Trials) asha.OnTrialAdd(context, t);
        Assert.Equal(SchedulerAction.Continue, asha.OnTrialResult(context, context.Trials[0], Row(1, 2)).Action);
        Assert.Equal(SchedulerAction.Continue, asha.OnTrialResult(context, context.Trials[1], Row(1, 4)).Action);
        var third = asha.OnTrialResult(context, context.Trials[2], Row(1, 1));
        Assert.Equal(SchedulerAction.Stop, third.Action);
        Assert.Contains("below the cutoff 3", third.Reason);
        // The trial recorded at rung 1 is next held at rung 2; max_t stops.
        Assert.Equal(new TrialHold("training_iteration", 2), asha.NextHold(context.Trials[0]));
        Assert.Contains("reached max_t", asha.OnTrialResult(context, context.Trials[0], Row(10, 9)).Reason);
    }

    [Fact]
    public void AshaDefaultsAreTunes()
    {
        var options = new AsyncHyperBandOptions();
        Assert.Equal(("training_iteration", 100.0, 1.0, 4.0, 1), (options.TimeAttr, options.MaxT, options.GracePeriod, options.ReductionFactor, options.Brackets));
        var asha = new AsyncHyperBandScheduler(options, Reward, 0);
        Assert.Equal([64.0, 16, 4, 1], asha.Milestones(0));
    }

    [Fact]
    public void AshaStateRoundTripsAndDecidesTheSame()
    {
        var asha = new AsyncHyperBandScheduler(new AsyncHyperBandOptions { MaxT = 16, Brackets = 2 }, Reward, seed: 5);
        var context = new FakeContext(6);
        foreach (var t in context.Trials) asha.OnTrialAdd(context, t);
        for (int i = 0; i < 4; i++) asha.OnTrialResult(context, context.Trials[i], Row(1, i));
        var copy = new AsyncHyperBandScheduler(new AsyncHyperBandOptions { MaxT = 16, Brackets = 2 }, Reward, seed: 5);
        copy.RestoreState(System.Text.Json.Nodes.JsonNode.Parse(asha.SaveState().ToJsonString())!.AsObject());
        for (int i = 4; i < 6; i++)
            Assert.Equal(asha.OnTrialResult(context, context.Trials[i], Row(1, i - 4)), copy.OnTrialResult(context, context.Trials[i], Row(1, i - 4)));
        Assert.Equal(asha.SaveState().ToJsonString(), copy.SaveState().ToJsonString());
    }

    [Fact]
    public void HyperBandBracketsFollowTunesFormulas()
    {
        // max_t 81, eta 3: s_max+1 = 5 brackets per band; bracket s holds ceil(5/(s+1)·3^s) trials with first milestone 81·3^-s.
        var hyperband = new HyperBandScheduler(new HyperBandOptions(), Reward);
        var context = new FakeContext(5 + 8 + 15 + 34 + 81 + 1);
        foreach (var t in context.Trials) hyperband.OnTrialAdd(context, t);
        var brackets = context.Trials.Select(t => hyperband.BracketOf(t.TrialId)!.Value).ToList();
        Assert.Equal([(0, 0, 5, 81.0), (0, 1, 8, 27), (0, 2, 15, 9), (0, 3, 34, 3), (0, 4, 81, 1), (1, 0, 5, 81)],
            brackets.Distinct().ToList());
        Assert.Equal([5, 8, 15, 34, 81, 1], brackets.GroupBy(b => (b.Band, b.S)).Select(g => g.Count()));
    }

    [Fact]
    public void PercentileAndMedianAreNumpys()
    {
        Assert.Equal(3.0, SchedulerMath.NanPercentile([2, 4], 50));
        Assert.Equal(2.5, SchedulerMath.NanPercentile([1, 2, 3, 4, double.NaN], 50));
        Assert.Equal(3.25, SchedulerMath.NanPercentile([1, 2, 3, 4], 75));
        Assert.Null(SchedulerMath.NanPercentile([double.NaN], 50));
        Assert.Equal(2.5, SchedulerMath.Median([4, 1, 3, 2]));
    }

    [Fact]
    public void PbtExploreShiftsListsAndScalesNumbersAsTune()
    {
        var config = new Dictionary<string, object?> { ["lr"] = 0.01, ["batch"] = 64L, ["epochs"] = 10L, ["other"] = "x" };
        var mutations = new List<KeyValuePair<string, PbtMutation>>
        {
            new("lr", new PbtDomainMutation(new LogUniform(1e-4, 1e-1))),
            new("batch", new PbtDomainMutation(new Uniform(16, 256))),
            new("epochs", new PbtListMutation([1L, 5L, 10L, 20L])),
        };
        for (int seed = 0; seed < 50; seed++)
        {
            var (next, operations) = PbtExplorer.Explore(config, mutations, 0, [1.2, 0.8], new Random(seed));
            Assert.Contains((double)next["lr"]!, new[] { 0.01 * 1.2, 0.01 * 0.8 });
            Assert.Contains((long)next["batch"]!, new[] { 76L, 51L });
            Assert.Contains((long)next["epochs"]!, new[] { 5L, 20L });
            Assert.Equal("x", next["other"]);
            Assert.StartsWith("shift ", operations["epochs"]);
        }
        var (resampled, ops) = PbtExplorer.Explore(config, mutations, 1, [1.2, 0.8], new Random(1));
        Assert.All(ops.Values, op => Assert.Equal("resample", op));
        Assert.IsType<long>(resampled["batch"]);
        // A value not in its list is always resampled from it.
        var (fromList, listOps) = PbtExplorer.Explore(new Dictionary<string, object?>(config), [new("epochs", new PbtListMutation([1L, 2L]))], 0, [1.2], new Random(3));
        Assert.Equal("resample", listOps["epochs"]);
        Assert.Contains(fromList["epochs"], new object?[] { 1L, 2L });
    }

    private static Dictionary<string, double> Row(double time, double reward) => new() { ["training_iteration"] = time, ["r"] = reward };

    /// <summary>Trials t0…tN and nothing else: enough for a scheduler's bookkeeping.</summary>
    private sealed class FakeContext(int trials) : ISchedulerContext
    {
        public string ExperimentDirectory => "";
        public IReadOnlyList<TrialState> Trials { get; } = Enumerable.Range(0, trials).Select(i => new TrialState
        {
            TrialId = $"t{i}", Index = i, Dir = $"t{i}", Config = [], Seed = i, Status = TrialStatus.Running,
        }).ToList();
        public TrialState? Find(string trialId) => Trials.FirstOrDefault(t => t.TrialId == trialId);
        public bool AnyWaiting => false;
        public CheckpointRef? LatestCheckpoint(TrialState trial) => null;
        public void StopTrial(TrialState trial, string reason) => trial.Status = TrialStatus.Terminated;
        public void Reconfigure(TrialState trial, IReadOnlyDictionary<string, object?> config, int? seed) { }
        public void UnpauseTrial(TrialState trial) => trial.Status = TrialStatus.Pending;
        public void Exploit(TrialState trial, CheckpointRef donorCheckpoint, IReadOnlyDictionary<string, object?> config, string reason) { }
    }
}
