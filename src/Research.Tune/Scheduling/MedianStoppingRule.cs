using System.Text.Json.Nodes;
using Research.Abstractions.Options;

namespace Research.Tune;

/// <summary>Options of <see cref="MedianStoppingRule"/>, with Tune's names and defaults.</summary>
public sealed record MedianStoppingOptions
{
    /// <summary>The result key that measures progress.</summary>
    [Option("Result key that measures a trial's progress (must grow).")]
    public string TimeAttr { get; init; } = "time_total_s";

    /// <summary>The metric; the spec's when empty.</summary>
    [Option("Result key to optimise (default: the spec's metric).")]
    public string? Metric { get; init; }

    /// <summary>max or min; the spec's when empty.</summary>
    [Option("max or min (default: the spec's mode).")]
    public OptimizationMode? Mode { get; init; }

    /// <summary>No trial stops before this time; running means start here.</summary>
    [Option("Only stop trials at least this old in time_attr; running averages start here.", Min = 0)]
    public double GracePeriod { get; init; } = 60;

    /// <summary>How many other trials must have reached a time before a trial is compared there.</summary>
    [Option("Minimum number of other trials to compute the median over.", Min = 1)]
    public int MinSamplesRequired { get; init; } = 3;

    /// <summary>A trial runs at least this long before yielding its slot.</summary>
    [Option("Each trial runs at least this long (time_attr) before yielding its slot to waiting trials.", Min = 0)]
    public double MinTimeSlice { get; init; }

    /// <summary>Stop (true) or pause (false) trials below the median.</summary>
    [Option("Stop trials below the median (true) or pause them to run FIFO after the others (false).")]
    public bool HardStop { get; init; } = true;
}

/// <summary>
/// The median stopping rule of Google Vizier (Tune's <c>MedianStoppingRule</c>): a trial whose best result so far is worse than
/// the median of the other trials' running averages (from grace_period up to its current time) stops.
/// </summary>
/// <remarks>
/// Facts kept from Tune: only trials whose last result has reached the current time count; with fewer than
/// min_samples_required of them the trial yields its slot (PAUSE) if others wait and min_time_slice has passed since its last
/// pause, else continues; with hard_stop false a trial below the median is paused instead and afterwards runs FIFO.
/// Every result from grace_period on is a decision point, so trials wait for each decision there.
/// </remarks>
public sealed class MedianStoppingRule : FifoScheduler
{
    /// <summary>The spec's names for this scheduler.</summary>
    public static readonly string[] TypeNames = ["median_stopping_rule", "medianstopping"];

    private readonly MedianStoppingOptions _options;
    private readonly SchedulerObjective _objective;
    private readonly Dictionary<string, List<(double Time, double Value)>> _results = [];
    private readonly HashSet<string> _stopped = [];
    private readonly Dictionary<string, double> _lastPause = [];

    /// <summary>A rule with <paramref name="options"/>, comparing on <paramref name="objective"/>.</summary>
    public MedianStoppingRule(MedianStoppingOptions options, SchedulerObjective objective) => (_options, _objective) = (options, objective);

    public override string Name => TypeNames[0];

    public override TrialHold? NextHold(TrialState trial)
    {
        if (_stopped.Contains(trial.TrialId)) return null;
        double at = _results.TryGetValue(trial.TrialId, out var results) && results.Count > 0
            ? Math.Max(_options.GracePeriod, Math.BitIncrement(results[^1].Time))
            : _options.GracePeriod;
        return new TrialHold(_objective.TimeAttr, at);
    }

    public override SchedulerDecision OnTrialResult(ISchedulerContext context, TrialState trial, IReadOnlyDictionary<string, double> result)
    {
        if (_objective.Read(result) is not var (time, _) || _stopped.Contains(trial.TrialId)) return SchedulerDecision.Continue;
        Record(trial.TrialId, time, result[_objective.Metric]);
        if (time < _options.GracePeriod) return SchedulerDecision.Continue;

        var others = _results.Where(kv => kv.Key != trial.TrialId && kv.Value[^1].Time >= time).Select(kv => kv.Key).ToList();
        string at = $"{_objective.TimeAttr}={SchedulerMath.Format(time)}";
        if (others.Count < _options.MinSamplesRequired)
        {
            bool yield = time - _lastPause.GetValueOrDefault(trial.TrialId, double.NegativeInfinity) > _options.MinTimeSlice &&
                         context.AnyWaiting;
            if (!yield) return SchedulerDecision.Continue;
            _lastPause[trial.TrialId] = time;
            return SchedulerDecision.Pause($"median stopping rule: yielding to waiting trials ({others.Count} < {_options.MinSamplesRequired} others reached {at})");
        }

        double median = SchedulerMath.Median(others.Select(id => RunningMean(id, time)).ToList());
        double best = Best(trial.TrialId);
        bool worse = _objective.Mode == OptimizationMode.Max ? median > best : median < best;
        if (!worse) return SchedulerDecision.Continue;
        _stopped.Add(trial.TrialId);
        string reason = $"median stopping rule: best {_objective.Metric}={SchedulerMath.Format(best)} is worse than the median " +
                        $"{SchedulerMath.Format(median)} of {others.Count} other trials' running averages at {at}";
        return _options.HardStop ? SchedulerDecision.Stop(reason) : SchedulerDecision.Pause(reason);
    }

    public override void OnTrialComplete(ISchedulerContext context, TrialState trial, IReadOnlyDictionary<string, double>? result)
    {
        if (result is not null && _objective.Read(result) is var (time, _)) Record(trial.TrialId, time, result[_objective.Metric]);
    }

    public override string Describe() => $"MedianStoppingRule: num_stopped={_stopped.Count}";

    /// <summary>Keeps one (time, value) per time: a result fed again after a restart replaces the one it recomputes.</summary>
    private void Record(string trialId, double time, double value)
    {
        if (!_results.TryGetValue(trialId, out var results)) _results[trialId] = results = [];
        while (results.Count > 0 && results[^1].Time >= time) results.RemoveAt(results.Count - 1);
        results.Add((time, value));
    }

    private double RunningMean(string trialId, double time)
    {
        var scoped = _results[trialId].Where(r => _options.GracePeriod <= r.Time && r.Time <= time).Select(r => r.Value).ToList();
        return scoped.Count == 0 ? double.NaN : scoped.Average();
    }

    private double Best(string trialId)
    {
        var values = _results[trialId].Select(r => r.Value);
        return _objective.Mode == OptimizationMode.Max ? values.Max() : values.Min();
    }

    public override JsonObject SaveState() => new()
    {
        ["results"] = StateJson.Map(_results, list => StateJson.Array(list, r => new JsonArray(r.Time, r.Value))),
        ["stopped"] = StateJson.Array(_stopped.Order(StringComparer.Ordinal), id => JsonValue.Create(id)),
        ["last_pause"] = StateJson.Map(_lastPause, t => JsonValue.Create(t)),
    };

    public override void RestoreState(JsonObject state)
    {
        _results.Clear();
        foreach (var (id, list) in state["results"]!.AsObject())
            _results[id] = list!.AsArray().Select(r => (r![0]!.GetValue<double>(), r[1]!.GetValue<double>())).ToList();
        _stopped.Clear();
        foreach (var id in state["stopped"]!.AsArray()) _stopped.Add(id!.GetValue<string>());
        _lastPause.Clear();
        foreach (var (id, t) in state["last_pause"]!.AsObject()) _lastPause[id] = t!.GetValue<double>();
    }
}
