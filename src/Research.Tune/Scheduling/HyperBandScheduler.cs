using System.Text.Json.Nodes;
using Research.Abstractions.Options;

namespace Research.Tune;

/// <summary>Options of <see cref="HyperBandScheduler"/>, with Tune's names and defaults.</summary>
public sealed record HyperBandOptions
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

    /// <summary>The longest a trial runs.</summary>
    [Option("Trials are stopped after this much time_attr.", Min = 0)]
    public double MaxT { get; init; } = 81;

    /// <summary>eta.</summary>
    [Option("HyperBand's eta: each halving keeps 1/reduction_factor of a bracket and multiplies its milestone by it.")]
    public double ReductionFactor { get; init; } = 3;

    /// <summary>Whether trials stop when their bracket has no halving left.</summary>
    [Option("Whether to stop trials when they reach max_t.")]
    public bool StopLastTrials { get; init; } = true;

    /// <summary>Why these options cannot run, or null.</summary>
    public (string Key, string Reason)? Problem() =>
        MaxT <= 0 ? ("max_t", $"must be positive, got {MaxT}")
        : ReductionFactor <= 1 ? ("reduction_factor", $"must be greater than 1, got {ReductionFactor}")
        : null;
}

/// <summary>
/// Synchronous HyperBand (Tune's <c>HyperBandScheduler</c>): trials are put into brackets; a trial that reaches its bracket's
/// milestone is PAUSED (it saves a checkpoint and gives up its slot) until every live trial of the bracket has reached it;
/// then the bracket keeps its best 1/eta, stops the rest, and the kept trials resume from their checkpoints.
/// </summary>
/// <remarks>
/// Facts kept from Tune: s_max+1 = round(log(max_t)/log(eta)) + 1 brackets per band; bracket s takes
/// n = ⌈(s_max+1)/(s+1)·eta^s⌉ trials with first milestone r = ⌊max_t·eta^−s⌋ (a bracket with r = 0 is skipped); trials fill
/// the current bracket, then the next s, then a new band; a halving keeps ⌈n/eta⌉ trials and sets the milestone to
/// ⌊min(r·eta, max_t − milestone)⌋; the next trial to run is a PENDING one of the band's brackets in order of completion.
/// </remarks>
public sealed class HyperBandScheduler : FifoScheduler
{
    /// <summary>The spec's name for this scheduler.</summary>
    public const string TypeNameHyperBand = "hyperband";

    private readonly HyperBandOptions _options;
    private readonly SchedulerObjective _objective;
    private readonly int _sMax1;
    private readonly List<List<Bracket?>> _bands = [[]];
    private readonly Dictionary<string, (int Band, int Bracket)> _bracketOf = [];
    private (int Band, int Bracket)? _current;
    private int _stopped;

    /// <summary>A scheduler with <paramref name="options"/> (validated) comparing on <paramref name="objective"/>.</summary>
    public HyperBandScheduler(HyperBandOptions options, SchedulerObjective objective)
    {
        if (options.Problem() is { } problem) throw new ArgumentException($"{problem.Key}: {problem.Reason}");
        (_options, _objective) = (options, objective);
        _sMax1 = (int)Math.Round(Math.Log(options.MaxT) / Math.Log(options.ReductionFactor), MidpointRounding.ToEven) + 1;
    }

    public override string Name => TypeNameHyperBand;

    private int N0(int s) => (int)Math.Ceiling(_sMax1 / (s + 1.0) * Math.Pow(_options.ReductionFactor, s));

    private int R0(int s) => (int)(_options.MaxT * Math.Pow(_options.ReductionFactor, -s));

    /// <summary>The bracket of <paramref name="trialId"/> as (band, s, size, milestone), for tests and tables.</summary>
    public (int Band, int S, int MaxTrials, double Milestone)? BracketOf(string trialId) =>
        _bracketOf.TryGetValue(trialId, out var at) && _bands[at.Band][at.Bracket] is { } b ? (at.Band, b.S, b.N, b.CumulR) : null;

    public override void OnTrialAdd(ISchedulerContext context, TrialState trial)
    {
        if (_bracketOf.ContainsKey(trial.TrialId)) return;
        var current = _current is { } c ? _bands[c.Band][c.Bracket] : null;
        if (current is null || current.Filled)
        {
            while (true)
            {
                if (_bands[^1].Count == _sMax1) _bands.Add([]);
                var band = _bands[^1];
                int s = band.Count;
                if (R0(s) == 0)
                {
                    band.Add(null);
                    continue;
                }
                band.Add(new Bracket(s, N0(s), R0(s), _options));
                _current = (_bands.Count - 1, band.Count - 1);
                break;
            }
        }
        var at = _current!.Value;
        _bands[at.Band][at.Bracket]!.Add(trial.TrialId);
        _bracketOf[trial.TrialId] = at;
    }

    public override TrialHold? NextHold(TrialState trial)
    {
        if (BracketFor(trial) is not { } bracket || !bracket.Live.ContainsKey(trial.TrialId)) return null;
        if (!_options.StopLastTrials && bracket.Halves == 0) return null;
        return new TrialHold(_objective.TimeAttr, bracket.CumulR);
    }

    public override SchedulerDecision OnTrialResult(ISchedulerContext context, TrialState trial, IReadOnlyDictionary<string, double> result)
    {
        if (BracketFor(trial) is not { } bracket || !bracket.Live.ContainsKey(trial.TrialId) ||
            _objective.Read(result) is not var (time, score))
            return SchedulerDecision.Continue;
        bracket.Update(trial.TrialId, time, score);
        if (bracket.ContinueTrial(trial.TrialId)) return SchedulerDecision.Continue;
        return ProcessBracket(context, bracket, trial);
    }

    /// <summary>When every live trial of the bracket reached its milestone, halve it: stop the worse, ready the better.</summary>
    private SchedulerDecision ProcessBracket(ISchedulerContext context, Bracket bracket, TrialState? current)
    {
        string milestone = $"{_objective.TimeAttr}={SchedulerMath.Format(bracket.CumulR)}";
        var decision = SchedulerDecision.Pause($"HyperBand: waiting at the bracket milestone {milestone} for the other trials of its bracket");
        if (!bracket.CurrentIterationDone) return decision;
        if (bracket.Finished)
        {
            foreach (var id in bracket.Live.Keys.ToList())
                if (context.Find(id) is { Status: TrialStatus.Paused } paused && paused != current)
                {
                    context.StopTrial(paused, $"HyperBand: its bracket finished at {milestone}");
                    bracket.Live.Remove(id);
                }
            return SchedulerDecision.Stop($"HyperBand: its bracket finished at {milestone}");
        }

        var (good, bad) = bracket.SuccessiveHalving();
        _stopped += bad.Count;
        foreach (var (id, score) in bad)
        {
            string reason = $"HyperBand: {_objective.Metric}={_objective.Show(score)} not in the best {good.Count} of its bracket at {milestone}";
            var trial = context.Find(id);
            if (trial == current)
            {
                bracket.Live.Remove(id);
                decision = SchedulerDecision.Stop(reason);
            }
            else if (trial is { Status: TrialStatus.Paused })
            {
                context.StopTrial(trial, reason);
                bracket.Live.Remove(id);
            }
        }
        foreach (var id in good)
        {
            if (!bracket.ContinueTrial(id)) continue;
            var trial = context.Find(id);
            if (trial == current) decision = SchedulerDecision.Continue;
            else if (trial is { Status: TrialStatus.Paused }) context.UnpauseTrial(trial);
        }
        return decision;
    }

    public override void OnTrialComplete(ISchedulerContext context, TrialState trial, IReadOnlyDictionary<string, double>? result) =>
        Remove(context, trial);

    public override void OnTrialError(ISchedulerContext context, TrialState trial) => Remove(context, trial);

    private void Remove(ISchedulerContext context, TrialState trial)
    {
        if (BracketFor(trial) is not { } bracket) return;
        bracket.Live.Remove(trial.TrialId);
        if (!bracket.Finished) ProcessBracket(context, bracket, null);
    }

    /// <summary>A PENDING trial of the least complete bracket, band by band.</summary>
    public override TrialState? ChooseTrialToRun(ISchedulerContext context, IReadOnlyList<TrialState> candidates)
    {
        var pending = candidates.Where(t => t.Status == TrialStatus.Pending).Select(t => t.TrialId).ToHashSet();
        foreach (var band in _bands)
        {
            foreach (var bracket in band.OfType<Bracket>().OrderBy(b => b.CompletionPercentage))
            {
                foreach (var id in bracket.Live.Keys)
                    if (pending.Contains(id)) return context.Find(id);
            }
        }
        return null;
    }

    public override string Describe() =>
        $"HyperBand: num_stopped={_stopped} total_brackets={_bands.Sum(b => b.Count)}; " +
        string.Join("; ", _bands.SelectMany(b => b).OfType<Bracket>().Select(b =>
            $"bracket s={b.S} n={b.N} milestone={SchedulerMath.Format(b.CumulR)} completed={b.CompletionPercentage:P1}"));

    private Bracket? BracketFor(TrialState trial) =>
        _bracketOf.TryGetValue(trial.TrialId, out var at) ? _bands[at.Band][at.Bracket] : null;

    public override JsonObject SaveState() => new()
    {
        ["stopped"] = _stopped,
        ["current"] = _current is { } c ? new JsonArray(c.Band, c.Bracket) : null,
        ["bracket_of"] = StateJson.Map(_bracketOf, at => new JsonArray(at.Band, at.Bracket)),
        ["bands"] = StateJson.Array(_bands, band => StateJson.Array(band, b => b?.Save())),
    };

    public override void RestoreState(JsonObject state)
    {
        _stopped = state["stopped"]!.GetValue<int>();
        _current = state["current"] is JsonArray c ? (c[0]!.GetValue<int>(), c[1]!.GetValue<int>()) : null;
        _bracketOf.Clear();
        foreach (var (id, at) in state["bracket_of"]!.AsObject()) _bracketOf[id] = (at![0]!.GetValue<int>(), at[1]!.GetValue<int>());
        _bands.Clear();
        foreach (var band in state["bands"]!.AsArray())
            _bands.Add(band!.AsArray().Select(b => b is JsonObject saved ? Bracket.Restore(saved, _options) : null).ToList());
    }

    /// <summary>One bracket: its live trials with their last (time, signed score), its size and milestone.</summary>
    private sealed class Bracket
    {
        private readonly HyperBandOptions _options;
        private readonly List<string> _all = [];
        private readonly int _r0;
        private readonly int _n0;
        private readonly double _totalWork;
        private double _completedProgress;
        private int _r;

        public Bracket(int s, int n0, int r0, HyperBandOptions options)
        {
            (S, _n0, N, _r0, _r, CumulR, Halves, _options) = (s, n0, n0, r0, r0, r0, s, options);
            _totalWork = TotalWork();
        }

        public int S { get; }

        public int N { get; private set; }

        public double CumulR { get; private set; }

        public int Halves { get; private set; }

        /// <summary>Live trials in the order they joined, with their last time and signed score (null before any result).</summary>
        public Dictionary<string, (double Time, double Score)?> Live { get; } = [];

        public bool Filled => Live.Count == N;

        public bool CurrentIterationDone => Live.Values.All(r => (r?.Time ?? 0) >= CumulR);

        public bool Finished => _options.StopLastTrials && Halves == 0 && CurrentIterationDone;

        public double CompletionPercentage => Finished ? 1.0 : Math.Min(_completedProgress / _totalWork, 1.0);

        public void Add(string trialId)
        {
            Live[trialId] = null;
            _all.Add(trialId);
        }

        public bool ContinueTrial(string trialId) =>
            (!_options.StopLastTrials && Halves == 0) || (Live.TryGetValue(trialId, out var r) && (r?.Time ?? 0) < CumulR);

        public void Update(string trialId, double time, double score)
        {
            double delta = time - (Live[trialId]?.Time ?? 0);
            _completedProgress += delta;
            Live[trialId] = (time, score);
        }

        public (List<string> Good, List<(string Id, double Score)> Bad) SuccessiveHalving()
        {
            if (Halves == 0 && !_options.StopLastTrials) return (Live.Keys.ToList(), []);
            Halves--;
            N = (int)Math.Ceiling(N / _options.ReductionFactor);
            _r = (int)Math.Min(_r * _options.ReductionFactor, _options.MaxT - CumulR);
            CumulR = _r;
            // A stable sort, worst first, as Python's sorted.
            var sorted = Live.Select(kv => (Id: kv.Key, Score: kv.Value?.Score ?? double.NegativeInfinity)).OrderBy(x => x.Score).ToList();
            int keep = Math.Min(N, sorted.Count);
            return (sorted.Skip(sorted.Count - keep).Select(x => x.Id).ToList(), sorted.Take(sorted.Count - keep).ToList());
        }

        private double TotalWork()
        {
            double work = 0, n = _n0, r = _r0, cumulative = _r0;
            for (int i = 0; i <= S; i++)
            {
                work += (int)n * (int)r;
                n = Math.Ceiling(n / _options.ReductionFactor);
                r = (int)Math.Min(r * _options.ReductionFactor, _options.MaxT - cumulative);
            }
            return work;
        }

        public JsonObject Save() => new()
        {
            ["s"] = S,
            ["n0"] = _n0,
            ["r0"] = _r0,
            ["n"] = N,
            ["r"] = _r,
            ["cumul_r"] = CumulR,
            ["halves"] = Halves,
            ["completed_progress"] = _completedProgress,
            ["all"] = StateJson.Array(_all, id => JsonValue.Create(id)),
            ["live"] = StateJson.Map(Live, r => r is { } v ? new JsonArray(v.Time, v.Score) : null),
        };

        public static Bracket Restore(JsonObject saved, HyperBandOptions options)
        {
            var bracket = new Bracket(saved["s"]!.GetValue<int>(), saved["n0"]!.GetValue<int>(), saved["r0"]!.GetValue<int>(), options)
            {
                N = saved["n"]!.GetValue<int>(),
                CumulR = saved["cumul_r"]!.GetValue<double>(),
                Halves = saved["halves"]!.GetValue<int>(),
            };
            bracket._r = saved["r"]!.GetValue<int>();
            bracket._completedProgress = saved["completed_progress"]!.GetValue<double>();
            foreach (var id in saved["all"]!.AsArray()) bracket._all.Add(id!.GetValue<string>());
            foreach (var (id, r) in saved["live"]!.AsObject())
                bracket.Live[id] = r is JsonArray v ? (v[0]!.GetValue<double>(), v[1]!.GetValue<double>()) : null;
            return bracket;
        }
    }
}
