using System.Text.Json.Nodes;
using Research.Abstractions.Options;

namespace Research.Tune;

/// <summary>Options of <see cref="AsyncHyperBandScheduler"/>, with Tune's names and defaults.</summary>
public sealed record AsyncHyperBandOptions
{
    /// <summary>The result key that measures progress.</summary>
    [Option("Result key that measures a trial's progress (must grow).")]
    public string TimeAttr { get; init; } = "training_iteration";

    /// <summary>The metric; the spec's when empty.</summary>
    [Option("Result key to optimise (default: the spec's metric).")]
    public string? Metric { get; init; }

    /// <summary>max or min; the spec's when empty.</summary>
    [Option("max or min (default: the spec's mode).")]
    public OptimizationMode? Mode { get; init; }

    /// <summary>Trials stop at this time.</summary>
    [Option("Trials are stopped after this much time_attr.", Min = 0)]
    public double MaxT { get; init; } = 100;

    /// <summary>No trial stops before this time.</summary>
    [Option("Only stop trials at least this old in time_attr; the first rung.", Min = 0)]
    public double GracePeriod { get; init; } = 1;

    /// <summary>The halving rate.</summary>
    [Option("Keep the top 1/reduction_factor at each rung; rungs are grace_period·reduction_factor^k.")]
    public double ReductionFactor { get; init; } = 4;

    /// <summary>How many brackets.</summary>
    [Option("Number of brackets (each starts at a higher rung).", Min = 1)]
    public int Brackets { get; init; } = 1;

    /// <summary>Whether trials stop at max_t.</summary>
    [Option("Whether to stop trials when they reach max_t.")]
    public bool StopLastTrials { get; init; } = true;

    /// <summary>Why these options cannot run, or null.</summary>
    public (string Key, string Reason)? Problem() =>
        MaxT <= 0 ? ("max_t", $"must be positive, got {MaxT}")
        : GracePeriod <= 0 ? ("grace_period", $"must be positive, got {GracePeriod}")
        : GracePeriod > MaxT ? ("grace_period", $"grace_period ({GracePeriod}) must be <= max_t ({MaxT})")
        : ReductionFactor <= 1 ? ("reduction_factor", $"must be greater than 1, got {ReductionFactor}")
        : null;
}

/// <summary>
/// Asynchronous successive halving (Tune's <c>AsyncHyperBandScheduler</c>/<c>ASHAScheduler</c>): when a trial reaches a
/// rung it is compared with every trial recorded there so far and stopped unless it is in the top 1/reduction_factor.
/// </summary>
/// <remarks>
/// Facts kept from Tune: bracket s has rungs grace_period·rf^(k+s) for k below ⌊log(max_t/grace_period)/log(rf) − s + 1⌋; a trial is
/// evaluated at the highest rung it has reached and not been recorded at; the cutoff is NumPy's linear percentile
/// (1 − 1/rf)·100 of the recorded scores; a trial whose score is below the cutoff stops; trials stop at max_t. A new trial
/// joins a bracket drawn from the softmax of the brackets' rung counts (seeded here, so runs repeat).
/// </remarks>
public sealed class AsyncHyperBandScheduler : FifoScheduler
{
    /// <summary>The spec's names for this scheduler.</summary>
    public static readonly string[] TypeNames = ["async_hyperband", "asha", "asynchyperband"];

    private readonly AsyncHyperBandOptions _options;
    private readonly SchedulerObjective _objective;
    private readonly int _seed;
    private readonly List<Bracket> _brackets;
    private readonly Dictionary<string, int> _bracketOf = [];
    private readonly Dictionary<string, double> _lastTime = [];
    private int _added;
    private int _stopped;

    /// <summary>A scheduler with <paramref name="options"/> (validated), comparing on <paramref name="objective"/>; <paramref name="seed"/> draws brackets.</summary>
    public AsyncHyperBandScheduler(AsyncHyperBandOptions options, SchedulerObjective objective, int seed)
    {
        if (options.Problem() is { } problem) throw new ArgumentException($"{problem.Key}: {problem.Reason}");
        (_options, _objective, _seed) = (options, objective, seed);
        _brackets = Enumerable.Range(0, options.Brackets).Select(s => new Bracket(options, s)).ToList();
    }

    public override string Name => TypeNames[0];

    /// <summary>The rung milestones of bracket <paramref name="bracket"/>, highest first.</summary>
    public IReadOnlyList<double> Milestones(int bracket) => _brackets[bracket].Rungs.Select(r => r.Milestone).ToList();

    public override void OnTrialAdd(ISchedulerContext context, TrialState trial)
    {
        if (_bracketOf.ContainsKey(trial.TrialId)) return;
        var sizes = _brackets.Select(b => (double)b.Rungs.Count).ToList();
        double max = sizes.Max();
        var weights = sizes.Select(s => Math.Exp(s - max)).ToList();
        double u = SchedulerMath.Generator(_seed, "asha", _added++).NextDouble() * weights.Sum();
        int index = 0;
        while (index < weights.Count - 1 && u >= weights[index]) u -= weights[index++];
        _bracketOf[trial.TrialId] = index;
    }

    public override TrialHold? NextHold(TrialState trial)
    {
        if (!_bracketOf.TryGetValue(trial.TrialId, out var index)) return null;
        double last = _lastTime.GetValueOrDefault(trial.TrialId, double.NegativeInfinity);
        double? next = _brackets[index].Rungs
            .Where(r => r.Milestone > last && !r.Recorded.ContainsKey(trial.TrialId))
            .Select(r => (double?)r.Milestone).Min();
        if (_options.StopLastTrials && _options.MaxT > last) next = next is { } n ? Math.Min(n, _options.MaxT) : _options.MaxT;
        return next is { } at ? new TrialHold(_objective.TimeAttr, at) : null;
    }

    public override SchedulerDecision OnTrialResult(ISchedulerContext context, TrialState trial, IReadOnlyDictionary<string, double> result)
    {
        if (_objective.Read(result) is not var (time, score)) return SchedulerDecision.Continue;
        _lastTime[trial.TrialId] = time;
        SchedulerDecision decision;
        if (time >= _options.MaxT && _options.StopLastTrials)
            decision = SchedulerDecision.Stop($"ASHA: reached max_t ({_objective.TimeAttr}={SchedulerMath.Format(time)} >= {SchedulerMath.Format(_options.MaxT)})");
        else if (!_bracketOf.TryGetValue(trial.TrialId, out var index))
            decision = SchedulerDecision.Continue;
        else
            decision = _brackets[index].OnResult(trial.TrialId, time, score, _objective);
        if (decision.Action == SchedulerAction.Stop) _stopped++;
        return decision;
    }

    public override void OnTrialComplete(ISchedulerContext context, TrialState trial, IReadOnlyDictionary<string, double>? result)
    {
        if (!_bracketOf.TryGetValue(trial.TrialId, out var index)) return;
        if (result is not null && _objective.Read(result) is var (time, score)) _brackets[index].OnResult(trial.TrialId, time, score, _objective);
        _bracketOf.Remove(trial.TrialId);
        _lastTime.Remove(trial.TrialId);
    }

    public override void OnTrialError(ISchedulerContext context, TrialState trial)
    {
        _bracketOf.Remove(trial.TrialId);
        _lastTime.Remove(trial.TrialId);
    }

    public override string Describe() =>
        $"AsyncHyperBand: num_stopped={_stopped}; " + string.Join("; ", _brackets.Select(b => b.Describe(_objective)));

    public override JsonObject SaveState() => new()
    {
        ["added"] = _added,
        ["stopped"] = _stopped,
        ["bracket_of"] = StateJson.Map(_bracketOf, i => JsonValue.Create(i)),
        ["last_time"] = StateJson.Map(_lastTime, t => JsonValue.Create(t)),
        ["brackets"] = StateJson.Array(_brackets, b => StateJson.Array(b.Rungs, r => StateJson.Map(r.Recorded, s => JsonValue.Create(s)))),
    };

    public override void RestoreState(JsonObject state)
    {
        _added = state["added"]!.GetValue<int>();
        _stopped = state["stopped"]!.GetValue<int>();
        _bracketOf.Clear();
        foreach (var (id, index) in state["bracket_of"]!.AsObject()) _bracketOf[id] = index!.GetValue<int>();
        _lastTime.Clear();
        foreach (var (id, time) in state["last_time"]!.AsObject()) _lastTime[id] = time!.GetValue<double>();
        var brackets = state["brackets"]!.AsArray();
        for (int b = 0; b < _brackets.Count; b++)
        {
            var rungs = brackets[b]!.AsArray();
            for (int r = 0; r < _brackets[b].Rungs.Count; r++)
            {
                var recorded = _brackets[b].Rungs[r].Recorded;
                recorded.Clear();
                foreach (var (id, score) in rungs[r]!.AsObject()) recorded[id] = score!.GetValue<double>();
            }
        }
    }

    private sealed record Rung(double Milestone, Dictionary<string, double> Recorded);

    private sealed class Bracket
    {
        private readonly double _rf;
        private readonly bool _stopLastTrials;

        public Bracket(AsyncHyperBandOptions options, int s)
        {
            _rf = options.ReductionFactor;
            _stopLastTrials = options.StopLastTrials;
            int maxRungs = (int)(Math.Log(options.MaxT / options.GracePeriod) / Math.Log(_rf) - s + 1);
            Rungs = Enumerable.Range(0, Math.Max(0, maxRungs)).Reverse()
                .Select(k => new Rung(options.GracePeriod * Math.Pow(_rf, k + s), []))
                .ToList();
        }

        /// <summary>Highest milestone first, as Tune keeps them.</summary>
        public List<Rung> Rungs { get; }

        public double? Cutoff(Rung rung) => SchedulerMath.NanPercentile(rung.Recorded.Values, (1 - 1 / _rf) * 100);

        public SchedulerDecision OnResult(string trialId, double time, double score, SchedulerObjective objective)
        {
            foreach (var rung in Rungs)
            {
                if (time >= rung.Milestone && rung.Recorded.ContainsKey(trialId) && !_stopLastTrials) break;
                if (time < rung.Milestone || rung.Recorded.ContainsKey(trialId)) continue;
                var decision = SchedulerDecision.Continue;
                if (Cutoff(rung) is { } cutoff && score < cutoff)
                    decision = SchedulerDecision.Stop(
                        $"ASHA: {objective.Metric}={objective.Show(score)} is below the cutoff {objective.Show(cutoff)} " +
                        $"of rung {objective.TimeAttr}={SchedulerMath.Format(rung.Milestone)} ({rung.Recorded.Count} trials recorded)");
                if (!double.IsNaN(score)) rung.Recorded[trialId] = score;
                return decision;
            }
            return SchedulerDecision.Continue;
        }

        public string Describe(SchedulerObjective objective) =>
            "bracket: " + string.Join(" | ", Rungs.Select(r =>
                $"{SchedulerMath.Format(r.Milestone)}: {(Cutoff(r) is { } c ? objective.Show(c) : "-")} ({r.Recorded.Count})"));
    }
}
