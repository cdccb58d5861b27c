using System.Text.Json.Nodes;
using Research.Abstractions.Options;

namespace Research.Tune;

/// <summary>Options of <see cref="TpeSearcher"/>, with Optuna's names and defaults.</summary>
public sealed record TpeOptions
{
    /// <summary>Random suggestions until this many trials have finished.</summary>
    [Option("Suggest at random until this many trials have finished.", Min = 0)]
    public int NStartupTrials { get; init; } = 10;

    /// <summary>The fraction of finished trials that forms the good group (at most 25 trials).</summary>
    [Option("Fraction of finished trials in the good group: ceil(gamma·n), at most 25 (Optuna's default_gamma).", Min = 0, Max = 1)]
    public double Gamma { get; init; } = 0.1;

    /// <summary>How many candidates are drawn from the good density and scored.</summary>
    [Option("Candidates drawn from the good trials' density; the one with the best density ratio is suggested.", Min = 1)]
    public int NEiCandidates { get; init; } = 24;

    /// <summary>The weight of the prior in each density.</summary>
    [Option("Weight of the prior (the whole range) in each density.", Min = 0)]
    public double PriorWeight { get; init; } = 1.0;

    /// <summary>The generator's seed; the experiment's search seed when empty.</summary>
    [Option("Seed of the searcher's draws (default: the spec's seed).")]
    public int? Seed { get; init; }

    /// <summary>At most this many suggested trials unfinished at once (Tune's ConcurrencyLimiter); empty for no limit.</summary>
    [Option("At most this many trials suggested and unfinished at once; the searcher waits for results beyond it.", Min = 1)]
    public int? MaxConcurrent { get; init; }
}

/// <summary>
/// The Tree-structured Parzen Estimator (Optuna's independent <c>TPESampler</c>): after <c>n_startup_trials</c> random trials, each
/// hyperparameter is drawn from the density of the best trials l(x) among <c>n_ei_candidates</c> candidates, keeping the one that
/// maximises l(x)/g(x) against the density of the others.
/// </summary>
/// <remarks>
/// Facts kept from Optuna: the good group is the ⌈gamma·n⌉ (at most 25) best finished trials, trials stopped early by a scheduler
/// ranked after completed ones by how far they got (Optuna's pruned trials), failed ones ignored; each density is a
/// <see cref="ParzenEstimator"/>. Every suggestion draws from a generator seeded by the seed and the trial's number, so the same
/// finished trials give the same suggestion, and a resumed searcher suggests what an uninterrupted one would.
/// </remarks>
public sealed class TpeSearcher : ISearcher
{
    /// <summary>The spec's name for this searcher.</summary>
    public const string TypeName = "tpe";

    private readonly TpeOptions _options;
    private readonly IReadOnlyList<KeyValuePair<string, object?>> _space;
    private readonly List<TpeParameter> _parameters;
    private readonly OptimizationMode _mode;
    private readonly string _metric;
    private readonly int _seed;
    private readonly int _total;
    private readonly Dictionary<int, Dictionary<string, object?>> _suggested = [];
    private readonly List<Observation> _observations = [];
    private int _count;

    /// <summary>A searcher over <paramref name="space"/> (dotted keys: plain values or random domains) for <paramref name="total"/> trials.</summary>
    public TpeSearcher(TpeOptions options, IReadOnlyList<KeyValuePair<string, object?>> space, string metric, OptimizationMode mode, int seed, int total)
    {
        (_options, _space, _metric, _mode, _seed, _total) = (options, space, metric, mode, options.Seed ?? seed, total);
        _parameters = space.Where(kv => kv.Value is RandomDomain).Select(kv => TpeParameter.Of(kv.Key, (RandomDomain)kv.Value!)).ToList();
    }

    public string Name => TypeName;

    public bool Finished => _count >= _total;

    /// <summary>How many trials have finished with a value.</summary>
    public int Observations => _observations.Count;

    public IReadOnlyDictionary<string, object?>? Suggest(int index)
    {
        if (Finished) return null;
        if (_suggested.TryGetValue(index, out var again)) return again;
        var random = SchedulerMath.Generator(_seed, TypeName, index);
        var config = new Dictionary<string, object?>();
        bool startup = _observations.Count < _options.NStartupTrials;
        foreach (var (key, value) in _space)
        {
            if (value is not RandomDomain domain)
            {
                config[key] = value;
                continue;
            }
            var parameter = _parameters.First(p => p.Key == key);
            config[key] = startup ? domain.Sample(random) : SampleTpe(parameter, random);
        }
        _suggested[index] = config;
        _count++;
        return config;
    }

    private object? SampleTpe(TpeParameter parameter, Random random)
    {
        var (below, above) = Split();
        var l = new ParzenEstimator(parameter, below.Select(o => parameter.ToInternal(o.Config[parameter.Key])).ToList(), _options.PriorWeight);
        var g = new ParzenEstimator(parameter, above.Select(o => parameter.ToInternal(o.Config[parameter.Key])).ToList(), _options.PriorWeight);
        object? best = null;
        double bestScore = double.NegativeInfinity;
        foreach (double sample in l.Sample(random, _options.NEiCandidates))
        {
            object? value = parameter.ToExternal(sample);
            double x = parameter.ToInternal(value);
            double score = l.LogPdf(x) - g.LogPdf(x);
            if (best is null || score > bestScore) (best, bestScore) = (value, score);
        }
        return best;
    }

    /// <summary>Optuna's split: the best ⌈gamma·n⌉ (≤ 25) by value among completed trials, then among stopped ones by (furthest, best); each group by trial number.</summary>
    private (List<Observation> Below, List<Observation> Above) Split()
    {
        int n = _observations.Count;
        int nBelow = Math.Min((int)Math.Ceiling(_options.Gamma * n), 25);
        var complete = _observations.Where(o => !o.StoppedEarly).OrderBy(o => o.Loss).ToList();
        var stopped = _observations.Where(o => o.StoppedEarly).OrderBy(o => -o.Step).ThenBy(o => o.Loss).ToList();
        var below = complete.Take(nBelow).ToList();
        below.AddRange(stopped.Take(Math.Max(0, nBelow - below.Count)));
        var above = _observations.Except(below).ToList();
        return (below.OrderBy(o => o.Index).ToList(), above.OrderBy(o => o.Index).ToList());
    }

    public void Adopt(int index, IReadOnlyDictionary<string, object?> config)
    {
        if (_suggested.TryAdd(index, new Dictionary<string, object?>(config))) _count++;
    }

    public void OnTrialComplete(int index, IReadOnlyDictionary<string, double>? lastResult, TrialOutcome outcome)
    {
        if (outcome == TrialOutcome.Error || lastResult is null || !lastResult.TryGetValue(_metric, out var value) || !double.IsFinite(value)) return;
        if (!_suggested.TryGetValue(index, out var config) || _observations.Any(o => o.Index == index)) return;
        double loss = _mode == OptimizationMode.Max ? -value : value;
        _observations.Add(new Observation(index, config, loss, outcome == TrialOutcome.StoppedEarly, lastResult.GetValueOrDefault("training_iteration")));
    }

    public JsonObject SaveState() => new()
    {
        ["count"] = _count,
        ["suggested"] = StateJson.Map(_suggested.Select(kv => new KeyValuePair<string, Dictionary<string, object?>>(kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv.Value)),
            c => System.Text.Json.JsonSerializer.SerializeToNode(c, TuneJson.Options)),
        ["observations"] = StateJson.Array(_observations, o => new JsonObject
        {
            ["index"] = o.Index, ["loss"] = o.Loss, ["stopped_early"] = o.StoppedEarly, ["step"] = o.Step,
        }),
    };

    public void RestoreState(JsonObject state)
    {
        _count = state["count"]!.GetValue<int>();
        _suggested.Clear();
        foreach (var (index, config) in state["suggested"]!.AsObject())
            _suggested[int.Parse(index, System.Globalization.CultureInfo.InvariantCulture)] =
                System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(config!.ToJsonString(), TuneJson.Options)!;
        _observations.Clear();
        foreach (var o in state["observations"]!.AsArray())
        {
            int index = o!["index"]!.GetValue<int>();
            _observations.Add(new Observation(index, _suggested[index], o["loss"]!.GetValue<double>(), o["stopped_early"]!.GetValue<bool>(), o["step"]!.GetValue<double>()));
        }
    }

    private sealed record Observation(int Index, Dictionary<string, object?> Config, double Loss, bool StoppedEarly, double Step);
}
