namespace Research.Tune;

/// <summary>Rebuilds an experiment's state from its trial directories (<c>--resume --rebuild</c>, and analysis without a state file).</summary>
/// <remarks>
/// A trial whose last result row says done is TERMINATED; one with <c>error.txt</c> is ERROR (the driver renames the
/// error files of failures it retried to <c>error_&lt;n&gt;.txt</c>, so <c>error.txt</c> marks a final failure);
/// anything else is PENDING and continues from its newest checkpoint.
/// </remarks>
public static class StateRebuilder
{
    /// <summary>The state rebuilt from the trial directories under <paramref name="experimentDir"/>.</summary>
    public static ExperimentState Rebuild(string experimentDir, SweepSpec spec)
    {
        var trials = new List<TrialState>();
        foreach (var dir in Directory.EnumerateDirectories(experimentDir))
        {
            if (!File.Exists(Path.Combine(dir, TrialFiles.TrialSpec))) continue;
            var trialSpec = TrialSpec.Load(dir);
            var trial = new TrialState
            {
                TrialId = trialSpec.TrialId,
                Index = trialSpec.Index,
                Dir = Path.GetFileName(dir),
                Config = TrialSpec.LoadConfig(dir),
                Seed = trialSpec.Seed,
                NumFailures = Directory.EnumerateFiles(dir, "error_*.txt").Count(),
            };
            var rows = ResultLine.ReadAll(dir);
            if (rows.Count > 0) trial.Update(rows[^1], spec.Metric);
            string errorPath = Path.Combine(dir, TrialFiles.Error);
            if (rows.Count > 0 && rows[^1].GetValueOrDefault("done") == 1) trial.Status = TrialStatus.Terminated;
            else if (File.Exists(errorPath))
            {
                trial.Status = TrialStatus.Error;
                trial.Error = FirstLine(errorPath);
                trial.NumFailures++;
            }
            else trial.Status = TrialStatus.Pending;
            trials.Add(trial);
        }
        trials.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new ExperimentState
        {
            Name = spec.Name,
            SearchSeed = spec.Seed ?? 0,
            VaryingKeys = SearchSpace.VaryingKeys(spec),
            Trials = trials,
        };
    }

    /// <summary>The reason line of an error file: the exception's first line, skipping the header.</summary>
    internal static string FirstLine(string errorPath)
    {
        var lines = File.ReadLines(errorPath).Where(l => l.Trim().Length > 0).Take(2).ToList();
        return lines.Count switch { 0 => "failed", 1 => lines[0].Trim(), _ => lines[1].Trim() };
    }
}
