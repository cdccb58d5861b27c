using System.Text.Json.Nodes;

namespace Research.Tune;

/// <summary>Runs trials in the order they were added and never stops one early (Tune's <c>FIFOScheduler</c>, the default).</summary>
/// <remarks>The other schedulers derive from it, as in Tune, and override what they decide.</remarks>
public class FifoScheduler : ITrialScheduler
{
    /// <summary>The spec's name for this scheduler.</summary>
    public const string TypeName = "fifo";

    public virtual string Name => TypeName;

    public virtual void OnTrialAdd(ISchedulerContext context, TrialState trial) { }

    public virtual TrialHold? NextHold(TrialState trial) => null;

    public virtual SchedulerDecision OnTrialResult(ISchedulerContext context, TrialState trial, IReadOnlyDictionary<string, double> result) =>
        SchedulerDecision.Continue;

    public virtual void OnTrialComplete(ISchedulerContext context, TrialState trial, IReadOnlyDictionary<string, double>? result) { }

    public virtual void OnTrialError(ISchedulerContext context, TrialState trial) { }

    /// <summary>The first PENDING trial, else the first PAUSED one, in the order they were added.</summary>
    public virtual TrialState? ChooseTrialToRun(ISchedulerContext context, IReadOnlyList<TrialState> candidates) =>
        candidates.FirstOrDefault(t => t.Status == TrialStatus.Pending) ?? candidates.FirstOrDefault(t => t.Status == TrialStatus.Paused);

    public virtual string Describe() => "FIFO";

    public virtual JsonObject SaveState() => [];

    public virtual void RestoreState(JsonObject state) { }
}
