using System.Diagnostics;
using System.Globalization;
using Research.Abstractions.Algorithms;
using Research.Abstractions.Metrics;

namespace Research.Tune;

/// <summary>Runs one trial from its directory (<c>research trial run &lt;trial_dir&gt;</c>): restore, train, log, checkpoint, stop.</summary>
/// <remarks>
/// The trial holds the directory's lock for its whole run, restores its newest checkpoint, truncates the result files
/// to the rows written before that checkpoint (so restarts never duplicate rows), then calls <see cref="IAlgorithm.Train"/> until a
/// stop criterion is met or the driver's control file says stop or pause. At the control file's hold (a scheduler's decision
/// point) it saves a checkpoint if asked and waits for the driver's answer; a stop or pause there is written into the row it
/// was decided on. It ends itself when its driver dies, unless its spec says it outlives the driver (cluster jobs).
/// </remarks>
public static class TrialProcess
{
    /// <summary>Runs the trial in <paramref name="trialDir"/>; returns one of <see cref="TrialExitCodes"/>.</summary>
    public static int Run(string trialDir, ITrialFactory factory, TrialProcessOptions? options = null)
    {
        options ??= new TrialProcessOptions();
        if (!Directory.Exists(trialDir)) throw new DirectoryNotFoundException($"Trial directory '{trialDir}' does not exist.");
        using var directoryLock = DirectoryLock.TryAcquire(Path.Combine(trialDir, TrialFiles.Lock), options.LockTimeout);
        if (directoryLock is null)
        {
            Console.Error.WriteLine($"{trialDir}: another process holds {TrialFiles.Lock}; not starting a second writer.");
            return TrialExitCodes.Locked;
        }
        using var watch = options.WatchDriver && TrialSpec.Load(trialDir).WatchDriver
            ? DriverWatch.Start(trialDir, options.HeartbeatTimeout, () =>
            {
                Console.Error.WriteLine($"{trialDir}: the driver is gone; ending the trial.");
                Environment.Exit(TrialExitCodes.DriverGone);
            })
            : null;
        try
        {
            return Train(trialDir, factory, options);
        }
        catch (Exception e)
        {
            AtomicFile.WriteAllText(Path.Combine(trialDir, TrialFiles.Error),
                $"{DateTime.UtcNow:O} trial failed on {Environment.MachineName} (pid {Environment.ProcessId}):\n{e}\n");
            Console.Error.WriteLine(e);
            return TrialExitCodes.Failed;
        }
    }

    private static int Train(string trialDir, ITrialFactory factory, TrialProcessOptions options)
    {
        var spec = TrialSpec.Load(trialDir);
        var config = TrialSpec.LoadConfig(trialDir);
        options.ConfigureThreads?.Invoke(spec.TrialThreads);
        using var algorithm = factory.Create(spec.Algorithm, spec.Env, config, spec.Seed);
        var sinks = options.SinkFactory?.Invoke(trialDir).ToList() ?? [];
        foreach (var sink in sinks) algorithm.MetricsSinks.Add(sink);

        var restored = CheckpointStore.Latest(trialDir);
        double timeTotal = 0;
        if (restored is not null)
        {
            algorithm.RestoreCheckpoint(restored.Path);
            timeTotal = restored.TimeTotalS;
        }
        int rows = ResultLog.Truncate(trialDir, restored);

        var stopper = new StopCriteria(spec.Stop);
        // A trial whose driver died after its last iteration but before recording it as finished is already done.
        if (restored is not null && stopper.Reason(restored.Result) is not null) return TrialExitCodes.Finished;
        var configColumns = config.Select(kv => new KeyValuePair<string, object?>("config/" + kv.Key.Replace('.', '/'), kv.Value)).ToList();
        string hostname = Environment.MachineName;
        int pid = Environment.ProcessId;
        Dictionary<string, double>? lastNumbers = null;
        using var log = new ResultLog(trialDir);
        try
        {
            while (true)
            {
                var control = TrialControlFile.Read(trialDir);
                if (control.Action != TrialControl.None || options.Cancellation.IsCancellationRequested)
                    return End(trialDir, algorithm, spec, timeTotal, lastNumbers, rows, control.Action);

                long start = Stopwatch.GetTimestamp();
                var result = algorithm.Train();
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                timeTotal += seconds;

                var row = new List<KeyValuePair<string, object?>>(result.Count + 16 + configColumns.Count);
                var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var (key, value) in result)
                {
                    row.Add(new(key, value));
                    numbers[key] = value;
                }
                numbers["training_iteration"] = algorithm.Iteration;
                numbers["timesteps_total"] = algorithm.NumTimesteps;
                numbers["time_total_s"] = timeTotal;
                string? stopReason = stopper.Reason(numbers);
                var now = DateTime.Now;
                // Tune's bookkeeping wins over an algorithm's own RLlib keys of the same name (its clock spans restarts).
                Set(row, "timesteps_total", algorithm.NumTimesteps);
                Set(row, "done", stopReason is not null);
                Set(row, "training_iteration", algorithm.Iteration);
                Set(row, "trial_id", spec.TrialId);
                Set(row, "date", now.ToString("yyyy-MM-dd_HH-mm-ss", CultureInfo.InvariantCulture));
                Set(row, "timestamp", new DateTimeOffset(now).ToUnixTimeSeconds());
                Set(row, "time_this_iter_s", seconds);
                Set(row, "time_total_s", timeTotal);
                Set(row, "pid", pid);
                Set(row, "hostname", hostname);
                foreach (var (key, value) in configColumns) Set(row, key, value);
                log.Append(row);
                rows++;
                Record(sinks, numbers, algorithm.NumTimesteps);
                lastNumbers = numbers;

                var hold = stopReason is null && control.Hold is { } h && numbers.TryGetValue(h.Attr, out var t) && t >= h.At ? h : null;
                bool periodic = spec.Checkpoint.Frequency > 0 && algorithm.Iteration % spec.Checkpoint.Frequency == 0;
                if (periodic || (stopReason is not null && spec.Checkpoint.AtEnd) || hold is { Checkpoint: true })
                    SaveCheckpoint(trialDir, algorithm, spec, timeTotal, numbers, rows);
                if (stopReason is not null)
                {
                    Console.WriteLine($"{spec.TrialId}: stopping, {stopReason}.");
                    return TrialExitCodes.Finished;
                }
                if (hold is null) continue;

                // A decision point: wait for the driver's answer to this row before training on.
                var answer = WaitForAnswer(trialDir, control.Sequence, options.Cancellation);
                if (answer.Action == TrialControl.None) continue;
                if (answer.Decision is not null)
                {
                    var decided = new List<KeyValuePair<string, object?>>();
                    if (answer.Action == TrialControl.Stop) decided.Add(new("done", true));
                    decided.Add(new("scheduler_decision", answer.Decision));
                    if (answer.Reason is not null) decided.Add(new("scheduler_reason", answer.Reason));
                    ResultLog.AmendLast(trialDir, decided);
                }
                Console.WriteLine($"{spec.TrialId}: {answer.Decision ?? answer.Action.ToString()}{(answer.Reason is null ? "" : ": " + answer.Reason)}.");
                return End(trialDir, algorithm, spec, timeTotal, lastNumbers, rows, answer.Action);
            }
        }
        finally
        {
            foreach (var sink in sinks)
            {
                algorithm.MetricsSinks.Remove(sink);
                sink.Flush();
                sink.Dispose();
            }
        }
    }

    /// <summary>Ends the run as the driver asked: a pause always leaves a checkpoint of the last iteration, a stop one when <c>at_end</c> asks.</summary>
    private static int End(string trialDir, IAlgorithm algorithm, TrialSpec spec, double timeTotal, Dictionary<string, double>? lastNumbers,
        int rows, TrialControl action)
    {
        bool pause = action == TrialControl.Pause;
        if (lastNumbers is not null && (pause || spec.Checkpoint.AtEnd))
            SaveCheckpoint(trialDir, algorithm, spec, timeTotal, lastNumbers, rows);
        return pause ? TrialExitCodes.Paused : TrialExitCodes.Finished;
    }

    /// <summary>Polls the control file until a message newer than <paramref name="sequence"/> arrives (the driver's decision).</summary>
    private static TrialControlMessage WaitForAnswer(string trialDir, int sequence, CancellationToken cancellation)
    {
        while (true)
        {
            var message = TrialControlFile.Read(trialDir);
            if (message.Sequence > sequence) return message;
            if (cancellation.WaitHandle.WaitOne(10)) return message with { Action = TrialControl.Stop };
        }
    }

    private static void SaveCheckpoint(string trialDir, IAlgorithm algorithm, TrialSpec spec, double timeTotal, Dictionary<string, double> numbers, int rows)
    {
        CheckpointStore.Save(trialDir, algorithm, timeTotal, numbers, rows);
        CheckpointStore.Prune(trialDir, spec.Checkpoint);
    }

    private static void Record(List<IMetricsSink> sinks, Dictionary<string, double> numbers, long step)
    {
        foreach (var sink in sinks)
            foreach (var (key, value) in numbers)
                if (double.IsFinite(value)) sink.RecordScalar("ray/tune/" + key, value, step);
    }

    private static void Set(List<KeyValuePair<string, object?>> row, string key, object? value)
    {
        int index = row.FindIndex(kv => kv.Key == key);
        if (index >= 0) row[index] = new(key, value);
        else row.Add(new(key, value));
    }
}
