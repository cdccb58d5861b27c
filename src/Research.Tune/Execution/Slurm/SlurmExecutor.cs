using System.Globalization;
using System.Text;
using Research.Abstractions.Options;

namespace Research.Tune;

/// <summary>Options of <see cref="SlurmExecutor"/> (spec key <c>executor: {type: slurm, …}</c>).</summary>
public sealed record SlurmExecutorOptions
{
    /// <summary>The partition jobs go to; the cluster's default when empty.</summary>
    [Option("Partition each trial's job is submitted to (sbatch --partition); the cluster's default when empty.")]
    public string? Partition { get; init; }

    /// <summary>CPUs per job; the spec's trial_threads when empty.</summary>
    [Option("CPUs per trial (sbatch --cpus-per-task); default: trial_threads.", Min = 1)]
    public int? CpusPerTrial { get; init; }

    /// <summary>Memory per job in Slurm's units (<c>2G</c>, <c>500M</c>); the cluster's DefMemPerCPU when empty.</summary>
    [Option("Memory per trial (sbatch --mem), for example 2G; the cluster's default when empty.")]
    public string? MemPerTrial { get; init; }

    /// <summary>Wall-time limit per job in Slurm's format (<c>30</c>, <c>1:00:00</c>, <c>1-00:00:00</c>).</summary>
    [Option("Time limit per job (sbatch --time), for example 1:00:00; the partition's when empty.")]
    public string? TimeLimit { get; init; }

    /// <summary>More sbatch arguments, passed as given.</summary>
    [Option("More sbatch arguments, for example [--qos=short, --account=lab].")]
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>Seconds between two looks at the queue.</summary>
    [Option("Seconds between two looks at the queue (squeue).", Min = 0.05)]
    public double PollInterval { get; init; } = 2;
}

/// <summary>
/// Runs each trial as a Slurm batch job: the same trial command as the local executor, in a script written into the trial's
/// directory (<c>slurm_job.sh</c>) and submitted with <c>sbatch</c>; one monitor polls <c>squeue</c> for every job and asks
/// <c>scontrol</c> (then <c>sacct</c>) how a job that left the queue ended. Jobs outlive the driver: a resumed driver finds them
/// again by id (or by name, if it died between submitting and recording the id) and never submits a trial twice.
/// </summary>
/// <remarks>
/// A job's exit code comes from <c>slurm-&lt;id&gt;.exit</c>, which the script writes next to the trial (the shared file system is
/// the contract, as for results); a job killed before it could write it (scancel, time limit, node failure) ends with Slurm's state
/// as the reason. A job Slurm requeues runs the script from the start, and the trial resumes from its newest checkpoint.
/// While the controller cannot be reached (a restart), jobs are left as they were and asked about again at the next poll.
/// </remarks>
public sealed class SlurmExecutor : ITrialExecutor, IDisposable
{
    /// <summary>The spec's name for this executor.</summary>
    public const string TypeName = "slurm";

    /// <summary>The job script's file name in the trial directory.</summary>
    public const string ScriptFile = "slurm_job.sh";

    private readonly TrialCommand _command;
    private readonly SlurmExecutorOptions _options;
    private readonly int _defaultCpus;
    private readonly SlurmCli _cli = new();
    private readonly Dictionary<string, SlurmJobHandle> _jobs = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private IReadOnlyList<SlurmQueuedJob> _queue;
    private Task? _monitor;

    /// <summary>An executor running <paramref name="command"/> as jobs; <paramref name="defaultCpus"/> is used when cpus_per_trial is not given.</summary>
    /// <exception cref="InvalidOperationException">sbatch is not installed, or the controller cannot be reached.</exception>
    public SlurmExecutor(TrialCommand command, SlurmExecutorOptions options, int defaultCpus = 1)
    {
        if (!SlurmCli.Installed)
            throw new InvalidOperationException(
                "executor 'slurm': 'sbatch' was not found on the PATH. Run the sweep where Slurm's client commands are installed " +
                "(Debian/Ubuntu: apt-get install slurm-client, with the cluster's slurm.conf and munge key), or use executor: local.");
        (_command, _options, _defaultCpus) = (command, options, defaultCpus);
        _queue = _cli.Queue() ?? throw new InvalidOperationException(
            "executor 'slurm': squeue cannot reach the Slurm controller (is slurmctld running, and SLURM_CONF right?).");
    }

    public bool TrialsOutliveDriver => true;

    /// <summary>The job name of the trial in <paramref name="trialDir"/> (unique per trial: its id carries the experiment's tag).</summary>
    public static string JobName(string trialDir) => "research-" + TrialSpec.Load(trialDir).TrialId;

    public ITrialHandle Start(string trialDir)
    {
        string full = Path.GetFullPath(trialDir);
        string name = JobName(full);
        // A job of this trial still queued or running (the driver died right after submitting it) is the trial: never submit twice.
        if (Alive(name) is { } existing) return Track(existing.Id, full);
        string script = Path.Combine(full, ScriptFile);
        AtomicFile.WriteAllText(script, Script(full, name));
        string id;
        try
        {
            id = _cli.Submit(script, Arguments());
        }
        catch (SlurmException e)
        {
            throw new InvalidOperationException($"sbatch refused the job: {e.Message}", e);
        }
        return Track(id, full);
    }

    public ITrialHandle? Reattach(string trialDir, string? job)
    {
        string full = Path.GetFullPath(trialDir);
        var queued = job is not null ? Queued(job) : Alive(JobName(full));
        if (queued is not null) return Track(queued.Id, full);
        if (job is null) return null;
        // Not queued any more: it ended while no driver watched; the handle completes with how it ended.
        return Track(job, full);
    }

    private SlurmQueuedJob? Alive(string name)
    {
        lock (_gate) return _queue.FirstOrDefault(j => j.Name == name);
    }

    private SlurmQueuedJob? Queued(string id)
    {
        lock (_gate) return _queue.FirstOrDefault(j => j.Id == id);
    }

    private IEnumerable<string> Arguments()
    {
        if (_options.Partition is { } partition) yield return $"--partition={partition}";
        yield return $"--cpus-per-task={_options.CpusPerTrial ?? _defaultCpus}";
        if (_options.MemPerTrial is { } mem) yield return $"--mem={mem}";
        if (_options.TimeLimit is { } time) yield return $"--time={time}";
        foreach (var extra in _options.ExtraArgs) yield return extra;
    }

    /// <summary>The batch script: the trial command, then its exit code written beside the trial for the driver.</summary>
    private string Script(string trialDir, string name)
    {
        string exit = Quote(Path.Combine(trialDir, "slurm-")) + "\"$SLURM_JOB_ID\"";
        var text = new StringBuilder()
            .Append("#!/bin/bash\n")
            .Append("# A trial of a Research sweep, submitted by its driver (research sweep). Options given to sbatch:\n")
            .Append("#   ").Append(string.Join(' ', Arguments())).Append('\n')
            .Append($"#SBATCH --job-name={name}\n")
            .Append($"#SBATCH --output={Path.Combine(trialDir, TrialFiles.Stdout)}\n")
            .Append($"#SBATCH --error={Path.Combine(trialDir, TrialFiles.Stderr)}\n")
            .Append("#SBATCH --open-mode=append\n")
            .Append($"#SBATCH --chdir={Environment.CurrentDirectory}\n")
            .Append("rm -f ").Append(exit).Append(".exit\n");
        foreach (var (key, value) in _command.Environment) text.Append($"export {key}={Quote(value)}\n");
        text.Append(Quote(_command.FileName));
        foreach (var argument in _command.Arguments)
            text.Append(' ').Append(Quote(argument.Replace(TrialCommand.TrialDirPlaceholder, trialDir, StringComparison.Ordinal)));
        text.Append("\ncode=$?\n")
            .Append("printf '%s\\n' \"$code\" > ").Append(exit).Append(".exit.tmp && mv -f ").Append(exit).Append(".exit.tmp ").Append(exit).Append(".exit\n")
            .Append("exit $code\n");
        return text.ToString();
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";

    private SlurmJobHandle Track(string id, string trialDir)
    {
        lock (_gate)
        {
            var handle = new SlurmJobHandle(this, id, trialDir);
            _jobs[id] = handle;
            _monitor ??= Task.Run(MonitorAsync);
            return handle;
        }
    }

    private async Task MonitorAsync()
    {
        var interval = TimeSpan.FromSeconds(_options.PollInterval);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Poll();
        }
    }

    /// <summary>One look at the queue: queued jobs get their state as detail, jobs that left it are finished.</summary>
    private void Poll()
    {
        List<SlurmJobHandle> jobs;
        lock (_gate) jobs = _jobs.Values.ToList();
        if (jobs.Count == 0) return;
        var queue = _cli.Queue();
        if (queue is null)
        {
            foreach (var job in jobs) job.Detail = $"slurm job {job.Id}: the controller does not answer (waiting)";
            return;
        }
        lock (_gate) _queue = queue;
        foreach (var job in jobs)
        {
            if (queue.FirstOrDefault(q => q.Id == job.Id) is { } queued)
            {
                job.Detail = $"slurm job {job.Id}: {queued.State}" +
                             (queued.State == "PENDING" ? $" ({queued.Reason})" : queued.Nodes.Length > 0 ? $" on {queued.Nodes}" : "");
                continue;
            }
            if (Ended(job) is { } ended)
            {
                lock (_gate) _jobs.Remove(job.Id);
                job.Complete(ended.Code, ended.Detail);
            }
        }
    }

    /// <summary>How a job that left the queue ended: its script's exit file, else Slurm's record; null while Slurm still shows it live.</summary>
    private (int Code, string? Detail)? Ended(SlurmJobHandle job)
    {
        string exitFile = Path.Combine(job.TrialDir, $"slurm-{job.Id}.exit");
        if (File.Exists(exitFile) && int.TryParse(File.ReadAllText(exitFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
            return (code, null);
        var end = _cli.Show(job.Id);
        if (end is null) return (-1, $"Slurm job {job.Id} ended and left no record of how (no exit file, unknown to scontrol and sacct)");
        if (!end.Final) return null;
        string detail = end.State switch
        {
            "CANCELLED" => $"Slurm job {job.Id} was CANCELLED (scancel, or an administrator)",
            "TIMEOUT" => $"Slurm job {job.Id} reached its time limit (TIMEOUT{(_options.TimeLimit is { } t ? $", time_limit {t}" : "")})",
            "OUT_OF_MEMORY" => $"Slurm job {job.Id} ran out of memory (OUT_OF_MEMORY{(_options.MemPerTrial is { } m ? $", mem_per_trial {m}" : "")})",
            _ => $"Slurm job {job.Id} ended {end.State} (exit code {end.ExitCode}, signal {end.Signal})",
        };
        return (end.State == "COMPLETED" ? end.ExitCode : -1, detail);
    }

    private void Cancel(string id) => _cli.Cancel(id);

    /// <summary>Stops watching; the jobs themselves run on.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _monitor?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The monitor ends on cancellation.
        }
        _stop.Dispose();
    }

    private sealed class SlurmJobHandle(SlurmExecutor executor, string id, string trialDir) : ITrialHandle
    {
        private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile string? _detail = $"slurm job {id}: submitted";

        public string Id => id;

        public string TrialDir => trialDir;

        public Task<int> Exited => _exited.Task;

        public string? Job => id;

        public string? Detail
        {
            get => _detail;
            set => _detail = value;
        }

        public void Complete(int code, string? detail)
        {
            Detail = detail;
            _exited.TrySetResult(code);
        }

        public void Kill() => executor.Cancel(id);

        public void Dispose() { }
    }
}
