using System.Globalization;
using Research.Abstractions.Algorithms;

namespace Research.Tune;

/// <summary>A saved checkpoint: its folder and the trial's counters when it was taken.</summary>
public sealed record CheckpointInfo
{
    /// <summary>The <c>checkpoint_NNNNNN</c> folder.</summary>
    public string Path { get; init; } = "";

    /// <summary>The training iteration it was taken after.</summary>
    public int TrainingIteration { get; init; }

    /// <summary>Timesteps consumed by then.</summary>
    public long TimestepsTotal { get; init; }

    /// <summary>Training time by then, summed over restarts.</summary>
    public double TimeTotalS { get; init; }

    /// <summary>How many rows <c>result.json</c> held when it was taken; a restart keeps exactly those (null in old checkpoints: the rows up to its iteration).</summary>
    public int? ResultRows { get; init; }

    /// <summary>The result values of that iteration, to rank checkpoints by a score or a metric.</summary>
    public Dictionary<string, double> Result { get; init; } = new();
}

/// <summary>Saves, lists and prunes a trial's <c>checkpoint_NNNNNN</c> folders.</summary>
/// <remarks>
/// A checkpoint is written into a hidden temporary folder, synced and renamed into place, and pruned by renaming it out of
/// the listing before deleting it (<see cref="AtomicDirectory"/>), so a listed checkpoint is always complete.
/// </remarks>
public static partial class CheckpointStore
{
    private const string Prefix = "checkpoint_";
    private const string InfoFile = "trial_state.json";

    /// <summary>Saves <paramref name="algorithm"/>'s state with the trial's counters; returns the checkpoint.</summary>
    public static CheckpointInfo Save(string trialDir, IAlgorithm algorithm, double timeTotalS, IReadOnlyDictionary<string, double> result, int resultRows)
    {
        string name = Prefix + algorithm.Iteration.ToString("D6", CultureInfo.InvariantCulture);
        string final = Path.Combine(trialDir, name);
        var info = new CheckpointInfo
        {
            Path = final,
            TrainingIteration = algorithm.Iteration,
            TimestepsTotal = algorithm.NumTimesteps,
            TimeTotalS = timeTotalS,
            ResultRows = resultRows,
            Result = new Dictionary<string, double>(result.Where(kv => double.IsFinite(kv.Value))),
        };
        if (Directory.Exists(final)) return info;
        AtomicDirectory.Write(final, working =>
        {
            algorithm.SaveCheckpoint(working);
            TuneJson.Write(Path.Combine(working, InfoFile), info with { Path = "" });
        });
        return info;
    }

    /// <summary>The trial's complete checkpoints, oldest first.</summary>
    public static IReadOnlyList<CheckpointInfo> List(string trialDir)
    {
        if (!Directory.Exists(trialDir)) return [];
        return Directory.EnumerateDirectories(trialDir, Prefix + "*")
            .Where(d => File.Exists(Path.Combine(d, InfoFile)))
            .Select(d => TuneJson.Read<CheckpointInfo>(Path.Combine(d, InfoFile)) with { Path = d })
            .OrderBy(c => c.TrainingIteration)
            .ToList();
    }

    /// <summary>The newest complete checkpoint, or null.</summary>
    public static CheckpointInfo? Latest(string trialDir) => List(trialDir).LastOrDefault();

    /// <summary>The best checkpoint by <paramref name="metric"/>, or the newest when none recorded it.</summary>
    public static CheckpointInfo? Best(IReadOnlyList<CheckpointInfo> checkpoints, string? metric, OptimizationMode mode)
    {
        var scored = metric is null ? [] : checkpoints.Where(c => c.Result.ContainsKey(metric)).ToList();
        if (scored.Count == 0) return checkpoints.LastOrDefault();
        return mode == OptimizationMode.Max ? scored.MaxBy(c => c.Result[metric!]) : scored.MinBy(c => c.Result[metric!]);
    }

    /// <summary>Deletes checkpoints beyond <see cref="CheckpointPolicy.Keep"/>: the newest stays, then the best by score (or the newest).</summary>
    public static void Prune(string trialDir, CheckpointPolicy policy)
    {
        if (policy.Keep is not { } keep) return;
        var all = List(trialDir);
        if (all.Count <= keep) return;
        var newest = all[^1];
        IEnumerable<CheckpointInfo> others = all.Take(all.Count - 1);
        if (policy.Score is { } score)
        {
            bool min = score.StartsWith("min-", StringComparison.Ordinal);
            string key = min ? score[4..] : score;
            double Rank(CheckpointInfo c) => c.Result.TryGetValue(key, out var v) ? (min ? -v : v) : double.NegativeInfinity;
            others = others.OrderByDescending(Rank).ThenByDescending(c => c.TrainingIteration);
        }
        else
        {
            others = others.Reverse();
        }
        var kept = others.Take(keep - 1).Append(newest).ToHashSet();
        foreach (var checkpoint in all.Where(c => !kept.Contains(c)))
            AtomicDirectory.Delete(checkpoint.Path);
    }
}
