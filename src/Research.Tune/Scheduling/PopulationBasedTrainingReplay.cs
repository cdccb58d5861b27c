using System.Text.Json.Nodes;
using Research.Abstractions.Options;

namespace Research.Tune;

/// <summary>Options of <see cref="PopulationBasedTrainingReplay"/>.</summary>
public sealed record PbtReplayOptions
{
    /// <summary>The policy file of the trial to replay.</summary>
    [Option("The PBT policy file to replay (pbt_policy_<trial>.txt of a finished PBT experiment).")]
    public string PolicyFile { get; init; } = "";
}

/// <summary>
/// Retrains one PBT trial from scratch with the schedule of configs its lineage followed (Tune's <c>PopulationBasedTrainingReplay</c>):
/// it starts from the lineage's first config and, at each clone iteration of the policy, pauses with a checkpoint and continues
/// with that step's new config.
/// </summary>
/// <remarks>
/// Facts kept from Tune: the policy is read from its last line back while each step's target is the next step's clone (the
/// chain of exploits that made the trial); the first config is the earliest step's clone config; a replay takes exactly one
/// trial. Beyond Tune: the seed of the lineage's first trial is read from the experiment beside the policy file, so with
/// deterministic training the replay ends bit for bit where the replayed trial did.
/// </remarks>
public sealed class PopulationBasedTrainingReplay : FifoScheduler
{
    /// <summary>The spec's name for this scheduler.</summary>
    public const string TypeNameReplay = "pbt_replay";

    private readonly string _policyFile;
    private readonly IReadOnlyDictionary<string, object?> _initialConfig;
    private readonly IReadOnlyList<(double Step, IReadOnlyDictionary<string, object?> Config)> _policy;
    private readonly int? _rootSeed;
    private string? _trialId;
    private int _next;

    /// <summary>A replay of <paramref name="policyFile"/>; a missing or damaged file raises an error naming it.</summary>
    public PopulationBasedTrainingReplay(string policyFile)
    {
        _policyFile = policyFile;
        var steps = PbtPolicyLog.Read(policyFile);
        if (steps.Count == 0) throw new InvalidDataException($"{policyFile}: the PBT policy is empty.");
        var chain = new List<PbtPolicyStep>();
        string? lastClone = null;
        for (int i = steps.Count - 1; i >= 0; i--)
        {
            if (lastClone is not null && steps[i].TargetTag != lastClone) break;
            lastClone = steps[i].CloneTag;
            chain.Add(steps[i]);
        }
        chain.Reverse();
        _initialConfig = chain[0].OldConfig;
        _policy = chain.Select(s => (s.CloneIteration, s.NewConfig)).ToList();
        RootTrialId = chain[0].CloneTag;
        _rootSeed = SeedOf(Path.GetDirectoryName(Path.GetFullPath(policyFile))!, RootTrialId);
    }

    public override string Name => TypeNameReplay;

    /// <summary>The trial the lineage started from.</summary>
    public string RootTrialId { get; }

    /// <summary>The config changes: at which iteration, to what.</summary>
    public IReadOnlyList<(double Step, IReadOnlyDictionary<string, object?> Config)> Policy => _policy;

    public override void OnTrialAdd(ISchedulerContext context, TrialState trial)
    {
        if (_trialId == trial.TrialId) return;
        if (_trialId is not null)
            throw new SchedulerException("PBT replay trains exactly one trial; set num_samples: 1 and use no grid_search.");
        _trialId = trial.TrialId;
        context.Reconfigure(trial, _initialConfig, _rootSeed);
    }

    public override TrialHold? NextHold(TrialState trial) =>
        _next < _policy.Count ? new TrialHold("training_iteration", _policy[_next].Step, Checkpoint: true) : null;

    public override SchedulerDecision OnTrialResult(ISchedulerContext context, TrialState trial, IReadOnlyDictionary<string, double> result)
    {
        if (_next >= _policy.Count || !result.TryGetValue("training_iteration", out var step) || step < _policy[_next].Step)
            return SchedulerDecision.Continue;
        var (changeAt, config) = _policy[_next];
        string reason = $"PBT replay: step {_next + 1} of {_policy.Count} at training_iteration={SchedulerMath.Format(step)}; " +
                        PbtExplorer.Summarize(trial.Config, config, config.Where(kv => !Equals(TuneJson.Short(kv.Value), TuneJson.Short(trial.Config.GetValueOrDefault(kv.Key))))
                            .ToDictionary(kv => kv.Key, _ => "replay"));
        var checkpoint = context.LatestCheckpoint(trial)
            ?? throw new SchedulerException($"PBT replay: no checkpoint at training_iteration={SchedulerMath.Format(changeAt)} to continue from");
        _next++;
        context.Exploit(trial, checkpoint, config, reason);
        return SchedulerDecision.Pause(reason);
    }

    public override string Describe() => $"PopulationBasedTraining replay of {Path.GetFileName(_policyFile)}: step {_next} of {_policy.Count}";

    public override JsonObject SaveState() => new() { ["trial_id"] = _trialId, ["next"] = _next };

    public override void RestoreState(JsonObject state)
    {
        _trialId = state["trial_id"]?.GetValue<string>();
        _next = state["next"]!.GetValue<int>();
    }

    private static int? SeedOf(string experimentDir, string trialId)
    {
        try
        {
            return ExperimentState.Load(experimentDir).Trials.FirstOrDefault(t => t.TrialId == trialId)?.Seed;
        }
        catch (CorruptStateException)
        {
            return null;
        }
    }
}
