using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Research.Tune;

/// <summary>Reads a finished (or running) experiment: every trial's results, the best trial, its config and checkpoint (Tune's <c>ExperimentAnalysis</c>).</summary>
public sealed class ExperimentAnalysis
{
    private ExperimentAnalysis(string directory, SweepSpec spec, IReadOnlyList<string> varyingKeys, IReadOnlyList<TrialAnalysis> trials)
    {
        Directory = directory;
        Spec = spec;
        VaryingKeys = varyingKeys;
        Trials = trials;
    }

    /// <summary>The experiment directory.</summary>
    public string Directory { get; }

    /// <summary>The spec the experiment ran with.</summary>
    public SweepSpec Spec { get; }

    /// <summary>The config keys that differ between trials.</summary>
    public IReadOnlyList<string> VaryingKeys { get; }

    /// <summary>Every trial, by index.</summary>
    public IReadOnlyList<TrialAnalysis> Trials { get; }

    /// <summary>The config of the best trial by the spec's metric and mode (last result).</summary>
    public IReadOnlyDictionary<string, object?>? BestConfig => GetBestTrial()?.Config;

    /// <summary>The best checkpoint of the best trial by the spec's metric and mode.</summary>
    public string? BestCheckpoint => GetBestTrial()?.BestCheckpoint(Spec.Metric, Spec.Mode)?.Path;

    /// <summary>Loads the experiment in <paramref name="experimentDir"/>; trial statuses come from its state file, or from the trial directories when that is unreadable.</summary>
    public static ExperimentAnalysis Load(string experimentDir)
    {
        if (!System.IO.Directory.Exists(experimentDir))
            throw new DirectoryNotFoundException($"Experiment directory '{experimentDir}' does not exist.");
        var spec = ExperimentSetup.LoadSpec(experimentDir);
        ExperimentState state;
        try
        {
            state = ExperimentState.Load(experimentDir);
        }
        catch (CorruptStateException)
        {
            state = StateRebuilder.Rebuild(experimentDir, spec);
        }
        var trials = state.Trials.OrderBy(t => t.Index).Select(t =>
        {
            string dir = Path.Combine(experimentDir, t.Dir);
            return new TrialAnalysis
            {
                TrialId = t.TrialId,
                Dir = dir,
                Status = t.Status,
                Config = t.Config,
                Results = ResultLine.ReadAll(dir),
                Checkpoints = CheckpointStore.List(dir),
                Error = t.Error,
                Reason = t.Reason,
            };
        }).ToList();
        return new ExperimentAnalysis(experimentDir, spec, state.VaryingKeys, trials);
    }

    /// <summary>The best trial by <paramref name="metric"/> (default: the spec's) under <paramref name="scope"/>, or null when no trial reported it.</summary>
    public TrialAnalysis? GetBestTrial(string? metric = null, OptimizationMode? mode = null, ResultScope scope = ResultScope.Last)
    {
        metric ??= Spec.Metric ?? throw new ArgumentException(
            $"{Directory}: the spec names no metric; pass one (for example --metric episode_reward_mean).");
        var m = mode ?? Spec.Mode;
        var scored = Trials.Select(t => (Trial: t, Score: t.Score(metric, m, scope))).Where(x => x.Score is not null).ToList();
        if (scored.Count == 0) return null;
        return (m == OptimizationMode.Max ? scored.MaxBy(x => x.Score) : scored.MinBy(x => x.Score)).Trial;
    }

    /// <summary>Writes <c>trials.csv</c> (one row per trial) and <c>analysis.json</c> (the best trial) into the experiment directory.</summary>
    public void WriteReports(string? metric = null, OptimizationMode? mode = null, ResultScope scope = ResultScope.Last)
    {
        metric ??= Spec.Metric;
        var m = mode ?? Spec.Mode;
        var columns = new List<string> { "trial_id", "status" };
        var configKeys = Trials.SelectMany(t => t.Config.Keys).Distinct().ToList();
        columns.AddRange(configKeys.Select(k => "config/" + k.Replace('.', '/')));
        columns.AddRange(["training_iteration", "timesteps_total", "time_total_s"]);
        if (metric is not null) columns.Add(metric);
        columns.Add("reason");
        columns.Add("dir");
        var csv = new StringBuilder().Append(string.Join(',', columns.Select(CsvFormat.Quote))).Append('\n');
        foreach (var trial in Trials)
        {
            var cells = new List<string> { trial.TrialId, StatusName(trial.Status) };
            cells.AddRange(configKeys.Select(k => trial.Config.TryGetValue(k, out var v) ? TuneJson.Short(v) : ""));
            cells.Add(trial.Iterations.ToString(CultureInfo.InvariantCulture));
            cells.Add(trial.Timesteps.ToString(CultureInfo.InvariantCulture));
            cells.Add(trial.TimeTotalS.ToString("R", CultureInfo.InvariantCulture));
            if (metric is not null) cells.Add(trial.Score(metric, m, scope)?.ToString("R", CultureInfo.InvariantCulture) ?? "");
            cells.Add(trial.Reason ?? (trial.Status == TrialStatus.Error ? trial.Error ?? "" : ""));
            cells.Add(Path.GetFileName(trial.Dir));
            csv.Append(string.Join(',', cells.Select(CsvFormat.Quote))).Append('\n');
        }
        AtomicFile.WriteAllText(Path.Combine(Directory, TrialFiles.TrialsCsv), csv.ToString());

        var best = metric is null ? null : GetBestTrial(metric, m, scope);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("experiment", Spec.Name);
            if (metric is null) writer.WriteNull("metric"); else writer.WriteString("metric", metric);
            writer.WriteString("mode", m == OptimizationMode.Max ? "max" : "min");
            writer.WriteString("scope", ResultScopes.Names[(int)scope]);
            writer.WriteNumber("num_trials", Trials.Count);
            foreach (var status in Enum.GetValues<TrialStatus>())
                writer.WriteNumber("num_" + StatusName(status).ToLowerInvariant(), Trials.Count(t => t.Status == status));
            writer.WriteString("scheduler", Spec.Scheduler.Type);
            writer.WriteNumber("num_stopped_early", Trials.Count(t => t.Status == TrialStatus.Terminated && t.Reason is not null));
            writer.WriteStartArray("trials");
            foreach (var trial in Trials)
            {
                writer.WriteStartObject();
                writer.WriteString("trial_id", trial.TrialId);
                writer.WriteString("status", StatusName(trial.Status));
                writer.WriteNumber("training_iteration", trial.Iterations);
                writer.WriteNumber("timesteps_total", trial.Timesteps);
                if (trial.Reason is not null) writer.WriteString("reason", trial.Reason);
                if (trial.Status == TrialStatus.Error && trial.Error is not null) writer.WriteString("error", trial.Error);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WritePropertyName("best_trial");
            if (best is null) writer.WriteNullValue();
            else
            {
                writer.WriteStartObject();
                writer.WriteString("trial_id", best.TrialId);
                writer.WriteString("dir", best.Dir);
                writer.WritePropertyName("score");
                TuneJson.WritePlain(writer, best.Score(metric!, m, scope));
                writer.WritePropertyName("config");
                TuneJson.WritePlain(writer, TuneJson.Nest(best.Config));
                var checkpoint = best.BestCheckpoint(metric, m);
                if (checkpoint is null) writer.WriteNull("best_checkpoint"); else writer.WriteString("best_checkpoint", checkpoint.Path);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        AtomicFile.WriteAllText(Path.Combine(Directory, TrialFiles.Analysis), Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>Tune's upper-case status name.</summary>
    public static string StatusName(TrialStatus status) => status.ToString().ToUpperInvariant();
}
