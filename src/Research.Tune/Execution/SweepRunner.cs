using System.Diagnostics;

namespace Research.Tune;

/// <summary>How the driver runs: its observer and its timings.</summary>
public sealed record SweepRunnerOptions
{
    /// <summary>Hears results and status changes (the status table, TensorBoard hparams).</summary>
    public ISweepObserver? Observer { get; init; }

    /// <summary>How often the driver reads results when no trial exits.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often <see cref="ISweepObserver.OnStatus"/> is called.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a trial told to stop or pause may take before it is killed.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the driver touches its heartbeat file.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Overrides the spec's <c>max_concurrent</c>.</summary>
    public int? MaxConcurrent { get; init; }
}

/// <summary>The sweep driver: starts trials up to <c>max_concurrent</c>, follows their results, applies the stop criteria, retries failures, and keeps <c>experiment_state.json</c> current.</summary>
public sealed class SweepRunner(ITrialFactory factory, ITrialExecutor executor, SweepRunnerOptions? options = null)
{
    private readonly SweepRunnerOptions _options = options ?? new SweepRunnerOptions();
    private readonly ITrialExecutor _executor = executor;

    /// <summary>Validates the spec, creates the experiment under <c>output/name</c>, and runs every trial.</summary>
    /// <exception cref="SpecException">The spec is wrong; no trial started.</exception>
    public Task<SweepSnapshot> RunAsync(SweepSpec spec, CancellationToken cancellation = default)
    {
        string dir = spec.ExperimentDirectory;
        var state = ExperimentSetup.Create(spec, factory, dir);
        return new Drive(this, dir, ExperimentSetup.LoadSpec(dir), state).RunAsync(cancellation);
    }

    /// <summary>Continues the experiment in <paramref name="experimentDir"/>: finished trials stay, the others restart from their newest checkpoints.</summary>
    /// <exception cref="CorruptStateException">The state file is damaged and <paramref name="rebuild"/> is false.</exception>
    public Task<SweepSnapshot> ResumeAsync(string experimentDir, bool rebuild = false, CancellationToken cancellation = default)
    {
        var spec = ExperimentSetup.LoadSpec(experimentDir);
        var state = rebuild ? StateRebuilder.Rebuild(experimentDir, spec) : ExperimentState.Load(experimentDir);
        return new Drive(this, experimentDir, spec, state).RunAsync(cancellation);
    }

    /// <summary>One run of the driver loop over one experiment.</summary>
    private sealed class Drive(SweepRunner runner, string dir, SweepSpec spec, ExperimentState state)
    {
        private readonly SweepRunnerOptions _options = runner._options;
        private readonly StopCriteria _stopper = new(spec.Stop);
        private readonly Dictionary<TrialState, RunningTrial> _running = [];
        private readonly Queue<TrialState> _pending = new();
        private readonly SemaphoreSlim _wake = new(0);
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private bool _dirty;

        public async Task<SweepSnapshot> RunAsync(CancellationToken cancellation)
        {
            using var driverLock = DirectoryLock.TryAcquire(Path.Combine(dir, TrialFiles.DriverLock), TimeSpan.Zero)
                ?? throw new InvalidOperationException($"{dir}: another driver runs this experiment ({TrialFiles.DriverLock} is held).");
            using var heartbeat = new DriverHeartbeat(dir, _options.HeartbeatInterval);
            foreach (var trial in state.Trials.OrderBy(t => t.Index))
            {
                if (trial.Finished) continue;
                trial.Status = TrialStatus.Pending;
                _pending.Enqueue(trial);
            }
            state.Save(dir);
            _options.Observer?.OnSweepStart(spec, Snapshot());
            int maxConcurrent = _options.MaxConcurrent ?? spec.MaxConcurrent;
            var lastStatus = TimeSpan.Zero;
            try
            {
                while (true)
                {
                    while (_running.Count < maxConcurrent && _pending.TryDequeue(out var next)) Start(next);
                    if (_running.Count == 0) break;
                    SaveIfDirty();
                    await _wake.WaitAsync(_options.PollInterval, cancellation).ConfigureAwait(false);
                    foreach (var (trial, run) in _running.ToList()) Poll(trial, run);
                    SaveIfDirty();
                    if (_clock.Elapsed - lastStatus >= _options.StatusInterval)
                    {
                        lastStatus = _clock.Elapsed;
                        _options.Observer?.OnStatus(Snapshot());
                    }
                }
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                await PauseAllAsync().ConfigureAwait(false);
            }
            SaveIfDirty();
            var final = Snapshot();
            _options.Observer?.OnSweepEnd(final);
            return final;
        }

        private void Start(TrialState trial)
        {
            string trialDir = Path.Combine(dir, trial.Dir);
            TrialControlFile.Clear(trialDir);
            ITrialHandle handle;
            try
            {
                handle = runner._executor.Start(trialDir);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
            {
                Fail(trial, $"the trial could not start: {e.Message}");
                return;
            }
            handle.Exited.ContinueWith(_ => _wake.Release(), TaskScheduler.Default);
            _running[trial] = new RunningTrial(handle, new ResultTailer(Path.Combine(trialDir, TrialFiles.Results)));
            SetStatus(trial, TrialStatus.Running);
        }

        private void Poll(TrialState trial, RunningTrial run)
        {
            ReadResults(trial, run);
            if (run.Handle.Exited.IsCompleted) Finish(trial, run);
            else if (run.StopRequested is { } asked && _clock.Elapsed - asked > _options.StopGrace) run.Handle.Kill();
        }

        private void ReadResults(TrialState trial, RunningTrial run) => run.Tailer.ReadNew(row =>
        {
            trial.Update(row, spec.Metric);
            _options.Observer?.OnTrialResult(TrialSnapshot.Of(trial), row);
            if (run.StopRequested is null && _stopper.Reason(row) is not null)
            {
                TrialControlFile.Write(Path.Combine(dir, trial.Dir), TrialControl.Stop);
                run.StopRequested = _clock.Elapsed;
            }
        });

        private void Finish(TrialState trial, RunningTrial run)
        {
            ReadResults(trial, run);
            _running.Remove(trial);
            run.Handle.Dispose();
            TrialControlFile.Clear(Path.Combine(dir, trial.Dir));
            var exited = run.Handle.Exited;
            int code = exited.IsCompletedSuccessfully ? exited.Result : -1;
            if (code == TrialExitCodes.Finished || (run.StopRequested is not null && !run.Pausing))
                SetStatus(trial, TrialStatus.Terminated);
            else if (run.Pausing)
                SetStatus(trial, TrialStatus.Paused);
            else if (code is TrialExitCodes.Paused or TrialExitCodes.DriverGone)
            {
                SetStatus(trial, TrialStatus.Pending);
                _pending.Enqueue(trial);
            }
            else
            {
                Fail(trial, exited.Exception is { } e ? $"the trial threw: {e.GetBaseException().Message}"
                    : $"the trial process exited with code {code}");
            }
        }

        /// <summary>Counts a failure: the trial restarts from its checkpoint while it has retries left, else it is ERROR.</summary>
        private void Fail(TrialState trial, string fallbackReason)
        {
            string trialDir = Path.Combine(dir, trial.Dir);
            string errorPath = Path.Combine(trialDir, TrialFiles.Error);
            if (!File.Exists(errorPath)) AtomicFile.WriteAllText(errorPath, $"{DateTime.UtcNow:O} {fallbackReason}\n");
            trial.Error = StateRebuilder.FirstLine(errorPath);
            trial.NumFailures++;
            if (trial.NumFailures <= spec.MaxFailures)
            {
                AtomicFile.Move(errorPath, Path.Combine(trialDir, $"error_{trial.NumFailures}.txt"));
                SetStatus(trial, TrialStatus.Pending);
                _pending.Enqueue(trial);
            }
            else
            {
                SetStatus(trial, TrialStatus.Error);
            }
        }

        private async Task PauseAllAsync()
        {
            foreach (var (trial, run) in _running)
            {
                run.Pausing = true;
                TrialControlFile.Write(Path.Combine(dir, trial.Dir), TrialControl.Pause);
            }
            var all = Task.WhenAll(_running.Values.Select(r => (Task)r.Handle.Exited));
            if (await Task.WhenAny(all, Task.Delay(_options.StopGrace)).ConfigureAwait(false) != all)
                foreach (var run in _running.Values) run.Handle.Kill();
            await all.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            foreach (var (trial, run) in _running.ToList()) Finish(trial, run);
            while (_pending.TryDequeue(out var waiting)) SetStatus(waiting, TrialStatus.Paused);
        }

        private void SetStatus(TrialState trial, TrialStatus status)
        {
            trial.Status = status;
            _dirty = true;
            _options.Observer?.OnTrialStatus(TrialSnapshot.Of(trial));
        }

        private void SaveIfDirty()
        {
            if (!_dirty) return;
            state.Save(dir);
            _dirty = false;
        }

        private SweepSnapshot Snapshot() => new(spec.Name, dir, spec.Metric, spec.Mode, state.VaryingKeys,
            state.Trials.Select(TrialSnapshot.Of).ToList(), _clock.Elapsed);
    }

    private sealed class RunningTrial(ITrialHandle handle, ResultTailer tailer)
    {
        public ITrialHandle Handle { get; } = handle;
        public ResultTailer Tailer { get; } = tailer;
        public TimeSpan? StopRequested { get; set; }
        public bool Pausing { get; set; }
    }
}
