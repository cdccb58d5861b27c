using System.Globalization;

namespace Research.Tune;

/// <summary>Tune's status table as text cells, for any renderer (the CLI draws it live or prints it as lines).</summary>
public static class StatusTable
{
    /// <summary>The header: trial, status, the varying config keys, iteration, timesteps, metric, time, and "info" when a trial has a reason or a job state.</summary>
    public static IReadOnlyList<string> Columns(SweepSnapshot snapshot) =>
    [
        "Trial", "Status", .. snapshot.VaryingKeys.Select(k => k.Split('.')[^1]), "iter", "timesteps", snapshot.Metric ?? "metric", "time (s)",
        .. snapshot.Trials.Any(t => Info(t) is not null) ? ["info"] : Array.Empty<string>(),
    ];

    /// <summary>What the table says beside a trial's status: its job's state while it runs, else why a scheduler stopped or paused it, else its error.</summary>
    public static string? Info(TrialSnapshot trial) =>
        trial.Status == TrialStatus.Running && trial.Detail is not null ? trial.Detail
        : trial.Reason ?? (trial.Status == TrialStatus.Error ? trial.Error : null);

    /// <summary>One row per trial: running ones first, then by index, at most <paramref name="maxRows"/>.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Rows(SweepSnapshot snapshot, int maxRows = int.MaxValue)
    {
        bool info = snapshot.Trials.Any(t => Info(t) is not null);
        return snapshot.Trials
            .OrderBy(t => t.Status == TrialStatus.Running ? 0 : 1)
            .Take(maxRows)
            .Select(t => (IReadOnlyList<string>)
            [
                t.TrialId,
                ExperimentAnalysis.StatusName(t.Status),
                .. snapshot.VaryingKeys.Select(k => TuneJson.Short(t.Config.GetValueOrDefault(k))),
                t.TrainingIteration.ToString(CultureInfo.InvariantCulture),
                t.TimestepsTotal.ToString(CultureInfo.InvariantCulture),
                t.MetricValue is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : "",
                t.TimeTotalS.ToString("F1", CultureInfo.InvariantCulture),
                .. info ? [Info(t) ?? ""] : Array.Empty<string>(),
            ])
            .ToList();
    }

    /// <summary>A config value, briefly (floats to 5 significant digits, lists in brackets).</summary>
    public static string FormatValue(object? value) => TuneJson.Short(value);

    /// <summary>One line: counts by status, the best trial so far, elapsed time.</summary>
    public static string Summary(SweepSnapshot snapshot)
    {
        var counts = Enum.GetValues<TrialStatus>()
            .Select(s => (Status: s, Count: snapshot.Count(s)))
            .Where(x => x.Count > 0)
            .Select(x => $"{x.Count} {ExperimentAnalysis.StatusName(x.Status)}");
        var best = snapshot.Best;
        string bestText = best is null ? "" :
            string.Create(CultureInfo.InvariantCulture, $" | best {best.TrialId} {snapshot.Metric}={best.MetricValue:G6}");
        return $"{snapshot.Name}: {snapshot.Trials.Count} trials ({string.Join(", ", counts)}){bestText} | {snapshot.Elapsed:hh\\:mm\\:ss}";
    }
}
