using Research.Rl.Persistence;

namespace Research.Rl.Algorithms;

/// <summary>
/// Where training stands: timesteps and iterations so far, the planned budget that schedules follow (Stable-Baselines'
/// <c>_total_timesteps</c>), and the training time summed over restarts (RLlib's <c>time_total_s</c>).
/// </summary>
public sealed class TrainingProgress
{
    private const string Section = "progress";

    /// <summary>Environment timesteps consumed so far, summed over all environments.</summary>
    public long NumTimesteps { get; internal set; }

    /// <summary>Training iterations completed.</summary>
    public int Iteration { get; internal set; }

    /// <summary>The timestep count at which the plan ends, or null when no budget was planned.</summary>
    public long? PlannedTimesteps { get; internal set; }

    /// <summary>Seconds spent in training iterations, over every run of this training.</summary>
    public double TimeTotalSeconds { get; internal set; }

    /// <summary>
    /// Stable-Baselines' <c>_current_progress_remaining</c>: 1 at the start of the plan, 0 at its end; never negative (SB3 lets
    /// the last iteration overshoot to a negative learning rate). Throws naming <paramref name="owner"/> when no budget was planned.
    /// </summary>
    public double Remaining(string owner) => PlannedTimesteps is { } total
        ? Math.Max(0.0, 1.0 - (double)NumTimesteps / total)
        : throw new InvalidOperationException($"{owner}: a schedule needs the training budget, but none was planned (Learn(n), or TotalTimesteps in the options).");

    internal void WriteState(SectionWriter writer) => writer.WriteBinary(Section, w =>
    {
        w.Write(PlannedTimesteps ?? -1);
        w.Write(TimeTotalSeconds);
    });

    internal void ReadState(SectionReader reader) => reader.ReadBinary(Section, r =>
    {
        long planned = r.ReadInt64();
        PlannedTimesteps = planned >= 0 ? planned : null;
        TimeTotalSeconds = r.ReadDouble();
    });
}
