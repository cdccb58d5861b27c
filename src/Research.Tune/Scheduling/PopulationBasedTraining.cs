using System.Text.Json.Nodes;
using Research.Abstractions.Options;

namespace Research.Tune;

/// <summary>Options of <see cref="PopulationBasedTraining"/>, with Tune's names and defaults (mutations are parsed apart).</summary>
public sealed record PbtOptions
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

    /// <summary>How often (in time_attr) a trial is considered for perturbation.</summary>
    [Option("Trials are considered for perturbation every this much time_attr (each time costs a checkpoint).")]
    public double PerturbationInterval { get; init; } = 60;

    /// <summary>No perturbation before this time.</summary>
    [Option("No trial is perturbed before this much time_attr.", Min = 0)]
    public double BurnInPeriod { get; init; }

    /// <summary>The fraction of trials in the top and bottom quantiles.</summary>
    [Option("The bottom quantile_fraction of trials clone the top quantile_fraction (0 to 0.5).", Min = 0, Max = 0.5)]
    public double QuantileFraction { get; init; } = 0.25;

    /// <summary>The chance that a mutated value is drawn afresh.</summary>
    [Option("Chance that a mutated hyperparameter is resampled rather than perturbed.", Min = 0, Max = 1)]
    public double ResampleProbability { get; init; } = 0.25;

    /// <summary>The factors a continuous hyperparameter is multiplied by.</summary>
    [Option("Factors a continuous hyperparameter is multiplied by when perturbed.")]
    public IReadOnlyList<double> PerturbationFactors { get; init; } = [1.2, 0.8];

    /// <summary>Whether exploits are logged to pbt_global.txt and pbt_policy_&lt;trial&gt;.txt.</summary>
    [Option("Log every exploit to pbt_global.txt and the trial's pbt_policy_<trial>.txt (needed for replay).")]
    public bool LogConfig { get; init; } = true;

    /// <summary>Whether a result without time_attr or the metric is an error.</summary>
    [Option("Fail a trial whose results lack time_attr or the metric (false: ignore such results).")]
    public bool RequireAttrs { get; init; } = true;

    /// <summary>Synchronous PBT: perturb only when every trial reached the same time.</summary>
    [Option("Synchronous PBT: trials wait until all reached the perturbation time.")]
    public bool Synch { get; init; }

    /// <summary>Why these options cannot run, or null.</summary>
    public (string Key, string Reason)? Problem() =>
        PerturbationInterval <= 0 ? ("perturbation_interval", $"must be positive, got {PerturbationInterval}")
        : PerturbationFactors.Count == 0 ? ("perturbation_factors", "needs at least one factor")
        : null;
}

/// <summary>
/// Population based training (Tune's <c>PopulationBasedTraining</c>): every perturbation_interval a trial in the bottom quantile
/// clones the checkpoint of a trial in the top quantile and continues with a mutated copy of its config; top trials keep going.
/// </summary>
/// <remarks>
/// Facts kept from Tune: a trial is considered once its time passes burn_in_period and perturbation_interval since its last
/// perturbation; quantiles are over trials with a score that are not finished, ⌈n·quantile_fraction⌉ each (at most n/2); asynchronous
/// PBT pauses a trial after a perturbation when other trials wait, so the population is time-multiplexed; synchronous PBT pauses every
/// trial at the perturbation time until all are there; the next trial to run is the one with the least training time.
/// Here a perturbation point is a hold with a checkpoint, so a top trial's checkpoint is exactly at its perturbation and an exploit
/// (copy that checkpoint, continue with the new config) is exact. Random choices come from generators seeded per exploit.
/// </remarks>
public sealed class PopulationBasedTraining : FifoScheduler
{
    /// <summary>The spec's name for this scheduler.</summary>
    public const string TypeNamePbt = "pbt";

    private readonly PbtOptions _options;
    private readonly SchedulerObjective _objective;
    private readonly IReadOnlyList<KeyValuePair<string, PbtMutation>> _mutations;
    private readonly int _seed;
    private readonly Dictionary<string, TrialRecord> _trials = [];
    private double _nextPerturbationSync;
    private int _checkpoints;
    private int _perturbations;

    /// <summary>A scheduler with <paramref name="options"/> mutating <paramref name="mutations"/> (dotted keys); <paramref name="seed"/> seeds its choices.</summary>
    public PopulationBasedTraining(PbtOptions options, SchedulerObjective objective, IReadOnlyList<KeyValuePair<string, PbtMutation>> mutations, int seed)
    {
        if (options.Problem() is { } problem) throw new ArgumentException($"{problem.Key}: {problem.Reason}");
        if (mutations.Count == 0) throw new ArgumentException("hyperparam_mutations: PBT needs at least one hyperparameter to mutate");
        (_options, _objective, _mutations, _seed) = (options, objective, mutations, seed);
        _nextPerturbationSync = Math.Max(options.PerturbationInterval, options.BurnInPeriod);
    }

    public override string Name => TypeNamePbt;

    /// <summary>How many exploits have been made.</summary>
    public int Perturbations => _perturbations;

    public override void OnTrialAdd(ISchedulerContext context, TrialState trial) => _trials.TryAdd(trial.TrialId, new TrialRecord());

    public override TrialHold? NextHold(TrialState trial)
    {
        if (!_trials.TryGetValue(trial.TrialId, out var record)) return null;
        double at = Math.Max(_options.BurnInPeriod, record.LastPerturbationTime + _options.PerturbationInterval);
        return new TrialHold(_objective.TimeAttr, at, Checkpoint: true);
    }

    public override SchedulerDecision OnTrialResult(ISchedulerContext context, TrialState trial, IReadOnlyDictionary<string, double> result)
    {
        if (!result.ContainsKey(_objective.TimeAttr) || !result.ContainsKey(_objective.Metric))
        {
            string missing = result.ContainsKey(_objective.TimeAttr) ? $"metric '{_objective.Metric}'" : $"time_attr '{_objective.TimeAttr}'";
            if (_options.RequireAttrs)
                throw new SchedulerException($"PBT: the trial's results have no {missing} (set require_attrs: false to ignore such results)");
            return SchedulerDecision.Continue;
        }
        if (!_trials.TryGetValue(trial.TrialId, out var record)) return SchedulerDecision.Continue;
        double time = result[_objective.TimeAttr];
        if (time < _options.BurnInPeriod || time - record.LastPerturbationTime < _options.PerturbationInterval) return SchedulerDecision.Continue;

        record.LastScore = _objective.Sign * result[_objective.Metric];
        record.LastTrainTime = time;
        record.LastIteration = result.GetValueOrDefault("training_iteration");
        string at = $"{_objective.TimeAttr}={SchedulerMath.Format(time)}";

        if (!_options.Synch)
        {
            record.LastPerturbationTime = time;
            var (lower, upper) = Quantiles(context);
            var decision = context.AnyWaiting ? SchedulerDecision.Pause($"PBT: yielding its slot after the perturbation at {at}") : SchedulerDecision.Continue;
            return CheckpointOrExploit(context, trial, upper, lower, at) ?? decision;
        }

        if (context.Trials.Any(t => t != trial && !t.Finished && Record(t).LastTrainTime < _nextPerturbationSync))
            return SchedulerDecision.Pause($"PBT (synch): waiting at {at} for the population to reach {_objective.TimeAttr}={SchedulerMath.Format(_nextPerturbationSync)}");
        var (low, up) = Quantiles(context);
        var middle = context.Trials.Where(t => !low.Contains(t) && !up.Contains(t));
        SchedulerDecision? own = null;
        foreach (var t in up.Concat(middle).Concat(low).ToList())
        {
            if (!_trials.ContainsKey(t.TrialId)) continue;
            Record(t).LastPerturbationTime = time;
            var exploited = CheckpointOrExploit(context, t, up, low, at);
            if (t == trial) own = exploited;
        }
        _nextPerturbationSync = Math.Max(_nextPerturbationSync + _options.PerturbationInterval,
            context.Trials.Where(t => _trials.ContainsKey(t.TrialId)).Select(t => Record(t).LastTrainTime).DefaultIfEmpty(0).Max());
        return own ?? SchedulerDecision.Pause($"PBT (synch): the population was perturbed at {at}");
    }

    /// <summary>Top trials remember their checkpoint; a bottom trial clones a random top one (its exploit pauses it); returns the exploit's decision, if any.</summary>
    private SchedulerDecision? CheckpointOrExploit(ISchedulerContext context, TrialState trial, List<TrialState> upper, List<TrialState> lower, string at)
    {
        var record = Record(trial);
        if (upper.Contains(trial))
        {
            record.LastCheckpoint = context.LatestCheckpoint(trial);
            _checkpoints++;
        }
        else
        {
            record.LastCheckpoint = null;
        }
        if (!lower.Contains(trial) || upper.Count == 0) return null;

        var random = SchedulerMath.Generator(_seed, "pbt", _perturbations);
        var donor = upper[random.Next(upper.Count)];
        var donorRecord = Record(donor);
        if (donorRecord.LastCheckpoint is not { } checkpoint) return null;
        var (config, operations) = PbtExplorer.Explore(donor.Config, _mutations, _options.ResampleProbability, _options.PerturbationFactors, random);
        _perturbations++;
        if (_options.LogConfig)
            PbtPolicyLog.Append(context.ExperimentDirectory, new PbtPolicyStep(
                trial.TrialId, donor.TrialId, record.LastIteration, checkpoint.TrainingIteration, donor.Config, config));
        string reason = $"PBT: exploiting {donor.TrialId} (score {_objective.Show(donorRecord.LastScore ?? double.NaN)} vs " +
                        $"{_objective.Show(record.LastScore ?? double.NaN)}) at {at}; {PbtExplorer.Summarize(donor.Config, config, operations)}";
        context.Exploit(trial, checkpoint, config, reason);
        record.LastPerturbationTime = donorRecord.LastPerturbationTime;
        record.LastTrainTime = donorRecord.LastTrainTime;
        return SchedulerDecision.Pause(reason);
    }

    private (List<TrialState> Lower, List<TrialState> Upper) Quantiles(ISchedulerContext context)
    {
        // A stable sort by score, worst first, as Tune's.
        var scored = context.Trials.Where(t => !t.Finished && _trials.TryGetValue(t.TrialId, out var r) && r.LastScore is not null)
            .OrderBy(t => _trials[t.TrialId].LastScore!.Value).ToList();
        if (scored.Count <= 1) return ([], []);
        int count = (int)Math.Ceiling(scored.Count * _options.QuantileFraction);
        if (count > scored.Count / 2.0) count = scored.Count / 2;
        return (scored.Take(count).ToList(), scored.Skip(scored.Count - count).ToList());
    }

    /// <summary>The trial that trained least; in synchronous mode only trials that have not reached the next perturbation.</summary>
    public override TrialState? ChooseTrialToRun(ISchedulerContext context, IReadOnlyList<TrialState> candidates) =>
        candidates
            .Where(t => !_options.Synch || !_trials.ContainsKey(t.TrialId) || Record(t).LastTrainTime < _nextPerturbationSync)
            .OrderBy(t => _trials.TryGetValue(t.TrialId, out var r) ? r.LastTrainTime : 0)
            .FirstOrDefault();

    public override string Describe() => $"PopulationBasedTraining: {_checkpoints} checkpoints, {_perturbations} perturbs";

    private TrialRecord Record(TrialState trial) => _trials.TryGetValue(trial.TrialId, out var r) ? r : _trials[trial.TrialId] = new TrialRecord();

    public override JsonObject SaveState() => new()
    {
        ["next_perturbation_sync"] = _nextPerturbationSync,
        ["checkpoints"] = _checkpoints,
        ["perturbations"] = _perturbations,
        ["trials"] = StateJson.Map(_trials, r => new JsonObject
        {
            ["last_score"] = StateJson.Optional(r.LastScore),
            ["last_checkpoint"] = r.LastCheckpoint is { } c ? new JsonObject { ["path"] = c.Path, ["training_iteration"] = c.TrainingIteration } : null,
            ["last_perturbation_time"] = r.LastPerturbationTime,
            ["last_train_time"] = r.LastTrainTime,
            ["last_iteration"] = r.LastIteration,
        }),
    };

    public override void RestoreState(JsonObject state)
    {
        _nextPerturbationSync = state["next_perturbation_sync"]!.GetValue<double>();
        _checkpoints = state["checkpoints"]!.GetValue<int>();
        _perturbations = state["perturbations"]!.GetValue<int>();
        _trials.Clear();
        foreach (var (id, saved) in state["trials"]!.AsObject())
        {
            _trials[id] = new TrialRecord
            {
                LastScore = StateJson.OptionalNumber(saved!["last_score"]),
                LastCheckpoint = saved["last_checkpoint"] is JsonObject c
                    ? new CheckpointRef(c["path"]!.GetValue<string>(), c["training_iteration"]!.GetValue<int>()) : null,
                LastPerturbationTime = saved["last_perturbation_time"]!.GetValue<double>(),
                LastTrainTime = saved["last_train_time"]!.GetValue<double>(),
                LastIteration = saved["last_iteration"]!.GetValue<double>(),
            };
        }
    }

    private sealed class TrialRecord
    {
        public double? LastScore { get; set; }
        public CheckpointRef? LastCheckpoint { get; set; }
        public double LastPerturbationTime { get; set; }
        public double LastTrainTime { get; set; }
        public double LastIteration { get; set; }
    }
}
