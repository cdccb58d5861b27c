using System.Text.Json.Nodes;

namespace Research.Tune.Tests;

/// <summary>TPE on a known objective: better than random search at the same budget, repeatable, resumable, and waiting under a concurrency limit.</summary>
public sealed class TpeSearcherTests
{
    private static readonly List<KeyValuePair<string, object?>> Space =
    [
        new("x", new Uniform(-10, 10)),
        new("lr", new LogUniform(1e-6, 1)),
        new("kind", new Choice(["a", "b", "c"])),
        new("n", new RandInt(0, 10)),
        new("fixed", 5L),
    ];

    /// <summary>Smallest at x = 3, lr = 1e-3, kind = b, n = 7; the reward is its negative.</summary>
    private static double Loss(IReadOnlyDictionary<string, object?> c) =>
        Math.Pow((double)c["x"]! - 3, 2) + Math.Pow(Math.Log10((double)c["lr"]!) + 3, 2) + ((string)c["kind"]! == "b" ? 0 : 5) +
        Math.Abs((long)c["n"]! - 7);

    private static double BestOf(ISearcher searcher, int trials)
    {
        double best = double.PositiveInfinity;
        for (int i = 0; i < trials; i++)
        {
            var config = searcher.Suggest(i)!;
            Assert.Equal(5L, config["fixed"]);
            double loss = Loss(config);
            best = Math.Min(best, loss);
            searcher.OnTrialComplete(i, new Dictionary<string, double> { ["reward"] = -loss, ["training_iteration"] = 1 }, TrialOutcome.Completed);
        }
        return best;
    }

    private static TpeSearcher Tpe(int seed, int total = 60, TpeOptions? options = null) =>
        new(options ?? new TpeOptions(), Space, "reward", OptimizationMode.Max, seed, total);

    [Fact]
    public void TpeBeatsRandomSearchAtTheSameBudget()
    {
        var seeds = Enumerable.Range(0, 6).ToList();
        double tpe = seeds.Average(s => BestOf(Tpe(s), 60));
        // Random search is TPE that never leaves its start-up phase.
        double random = seeds.Average(s => BestOf(Tpe(s, options: new TpeOptions { NStartupTrials = 1000 }), 60));
        Assert.True(tpe < 0.6 * random, $"TPE's mean best loss {tpe} is not well below random search's {random}");
    }

    [Fact]
    public void DefaultsAreOptunas()
    {
        var options = new TpeOptions();
        Assert.Equal((10, 0.1, 24, 1.0), (options.NStartupTrials, options.Gamma, options.NEiCandidates, options.PriorWeight));
        Assert.Equal([1.0, 1, 1], ParzenEstimator.DefaultWeights(3));
        var ramp = ParzenEstimator.DefaultWeights(30);
        Assert.Equal(30, ramp.Length);
        Assert.Equal(1.0 / 30, ramp[0], 12);
        Assert.All(ramp.Skip(5), w => Assert.Equal(1.0, w));
    }

    [Fact]
    public void TheSameSeedSuggestsTheSameAndAResumedSearcherGoesOnAsIfUninterrupted()
    {
        var whole = Tpe(7, 30);
        var first = Tpe(7, 30);
        for (int i = 0; i < 30; i++)
        {
            if (i == 17)
            {
                var saved = JsonNode.Parse(first.SaveState().ToJsonString())!.AsObject();
                first = Tpe(7, 30);
                first.RestoreState(saved);
            }
            var a = whole.Suggest(i)!;
            var b = first.Suggest(i)!;
            Assert.Equal(a.Select(kv => TuneJsonShort(kv.Value)), b.Select(kv => TuneJsonShort(kv.Value)));
            var result = new Dictionary<string, double> { ["reward"] = -Loss(a), ["training_iteration"] = 1 };
            whole.OnTrialComplete(i, result, TrialOutcome.Completed);
            first.OnTrialComplete(i, result, TrialOutcome.Completed);
        }
        Assert.True(whole.Finished);
        Assert.Null(whole.Suggest(30));
    }

    [Fact]
    public void AConcurrencyLimitWaitsForResults()
    {
        var limited = new ConcurrencyLimiter(Tpe(1, 10), 2);
        Assert.NotNull(limited.Suggest(0));
        Assert.NotNull(limited.Suggest(1));
        Assert.Null(limited.Suggest(2));
        limited.OnTrialComplete(0, new Dictionary<string, double> { ["reward"] = 1 }, TrialOutcome.Completed);
        Assert.NotNull(limited.Suggest(2));
    }

    [Fact]
    public void IntegersStayIntegersInRangeAndChoicesStayChoices()
    {
        var tpe = Tpe(3, 80, new TpeOptions { NStartupTrials = 5 });
        for (int i = 0; i < 80; i++)
        {
            var c = tpe.Suggest(i)!;
            Assert.InRange((long)c["n"]!, 0, 9);
            Assert.Contains((string)c["kind"]!, new[] { "a", "b", "c" });
            Assert.InRange((double)c["lr"]!, 1e-6, 1);
            Assert.InRange((double)c["x"]!, -10, 10);
            tpe.OnTrialComplete(i, new Dictionary<string, double> { ["reward"] = -Loss(c) }, i % 3 == 0 ? TrialOutcome.StoppedEarly : TrialOutcome.Completed);
        }
    }

    private static string TuneJsonShort(object? value) => value switch
    {
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "null",
    };
}
