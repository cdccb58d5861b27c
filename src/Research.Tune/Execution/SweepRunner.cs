using System.Diagnostics;

namespace Research.Tune;

/// <summary>How the driver runs: its observer and its timings.</summary>
public sealed record SweepRunnerOptions
{
    /// <summary>Hears results and status changes (the status table, TensorBoard hparams).</summary>
    public ISweepObserver? Observer { get; init; }

    /// <summary>How often the driver reads results when no trial exits.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the driver reads results while a scheduler may have trials waiting for its decisions.</summary>
    public TimeSpan DecisionPollInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How often <see cref="ISweepObserver.OnStatus"/> is called.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a trial told to stop or pause may take before it is killed.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the driver touches its heartbeat file.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Overrides the spec's <c>max_concurrent</c>.</summary>
    public int? MaxConcurrent { get; init; }
}

/// <summary>
/// The sweep driver: starts the trials its scheduler chooses up to <c>max_concurrent</c>, follows their results, answers them at
/// the scheduler's decision points (continue, pause, stop, exploit), applies the stop criteria, retries failures, and keeps
/// <c>experiment_state.json</c> (with the scheduler's state) current.
/// </summary>
public sealed class SweepRunner(ITrialFactory factory, ITrialExecutor executor, SweepRunnerOptions? options = null)
{
    private readonly SweepRunnerOptions _options = options ?? new SweepRunnerOptions();
    private readonly ITrialExecutor _executor = executor;

    /// <summary>Validates the spec, creates the experiment under <c>output/name</c>, and runs every trial.</summary>
    /// <exception cref="SpecException">The spec is wrong; no trial started.</exception>
    public Task<SweepSnapshot> RunAsync(SweepSpec spec, CancellationToken cancellation = default)
    {
        string dir = spec.ExperimentDirectory;
        var state = ExperimentSetup.Create(spec, factory, dir, _executor.TrialsOutliveDriver);
        return new SweepDrive(this, dir, ExperimentSetup.LoadSpec(dir), state).RunAsync(cancellation);
    }

    /// <summary>Continues the experiment in <paramref name="experimentDir"/>: finished trials stay, running cluster jobs are re-attached, the others restart from their newest checkpoints.</summary>
    /// <exception cref="CorruptStateException">The state file is damaged and <paramref name="rebuild"/> is false.</exception>
    public Task<SweepSnapshot> ResumeAsync(string experimentDir, bool rebuild = false, CancellationToken cancellation = default)
    {
        var spec = ExperimentSetup.LoadSpec(experimentDir);
        var state = rebuild ? StateRebuilder.Rebuild(experimentDir, spec) : ExperimentState.Load(experimentDir);
        return new SweepDrive(this, experimentDir, spec, state).RunAsync(cancellation);
    }

    /// <summary>One run of the driver loop over one experiment; it is the scheduler's context.</summary>
    private sealed class SweepDrive(SweepRunner runner, string dir, SweepSpec spec, ExperimentState state) : ISchedulerContext
    {
        private readonly SweepRunnerOptions _options = runner._options;
        private readonly ITrialExecutor _executor = runner._executor;
        private readonly ITrialScheduler _scheduler = SchedulerFactory.Create(spec, state.SearchSeed);
        private readonly ISearcher? _searcher = SearcherFactory.Create(spec, state.SearchSeed);
        private readonly StopCriteria _stopper = new(spec.Stop);
        private readonly Dictionary<TrialState, RunningTrial> _running = [];
        private readonly SemaphoreSlim _wake = new(0);
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private bool _dirty;
        private bool _progress;
        private TimeSpan _lastSave;

        public string ExperimentDirectory => dir;

        public IReadOnlyList<TrialState> Trials => state.Trials;

        public async Task<SweepSnapshot> RunAsync(CancellationToken cancellation)
        {
            using var driverLock = DirectoryLock.TryAcquire(Path.Combine(dir, TrialFiles.DriverLock), TimeSpan.Zero)
                ?? throw new InvalidOperationException($"{dir}: another driver runs this experiment ({TrialFiles.DriverLock} is held).");
            using var heartbeat = new DriverHeartbeat(dir, _options.HeartbeatInterval);
            Prepare();
            state.Save(dir);
            _options.Observer?.OnSweepStart(spec, Snapshot());
            int maxConcurrent = _options.MaxConcurrent ?? spec.MaxConcurrent;
            bool decisions = _scheduler is not { Name: FifoScheduler.TypeName };
            var poll = decisions && _options.DecisionPollInterval < _options.PollInterval ? _options.DecisionPollInterval : _options.PollInterval;
            var lastStatus = TimeSpan.Zero;
            try
            {
                while (true)
                {
                    StartChosen(maxConcurrent);
                    if (_running.Count == 0) break;
                    SaveIfDirty();
                    await _wake.WaitAsync(poll, cancellation).ConfigureAwait(false);
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

        /// <summary>Brings the state in line with a (re)start: scheduler state restored or rebuilt, cluster jobs re-attached, exploits applied.</summary>
        private void Prepare()
        {
            if (state.Scheduler is { } saved) _scheduler.RestoreState(saved);
            else foreach (var trial in state.Trials.OrderBy(t => t.Index)) _scheduler.OnTrialAdd(this, trial);
            if (_searcher is not null && state.Searcher is { } searched) _searcher.RestoreState(searched);
            else if (_searcher is not null)
            {
                // A state rebuilt from the trial folders has no searcher state: the searcher takes the trials over as they are.
                foreach (var trial in state.Trials.OrderBy(t => t.Index))
                {
                    _searcher.Adopt(trial.Index, trial.Config);
                    if (trial.Finished)
                        _searcher.OnTrialComplete(trial.Index, ResultLine.ReadAll(TrialDir(trial)).LastOrDefault(),
                            trial.Status == TrialStatus.Error ? TrialOutcome.Error : trial.Reason is null ? TrialOutcome.Completed : TrialOutcome.StoppedEarly);
                }
            }

            foreach (var trial in state.Trials.OrderBy(t => t.Index))
            {
                string trialDir = TrialDir(trial);
                if (_executor.TrialsOutliveDriver && trial.Status != TrialStatus.Error && (trial.Status == TrialStatus.Running || trial.Job is not null) &&
                    _executor.Reattach(trialDir, trial.Job) is { } handle)
                {
                    if (trial.Status == TrialStatus.Running || !handle.Exited.IsCompleted)
                    {
                        // A job the killed driver had already told to stop or pause is only waited for.
                        Track(trial, handle, TrialControlFile.Read(trialDir).Hold);
                        if (trial.Status != TrialStatus.Running) (_running[trial].Decided, _running[trial].StopRequested) = (true, _clock.Elapsed);
                        continue;
                    }
                    handle.Dispose();
                }
                if (trial.Finished) continue;
                if (trial.Status != TrialStatus.Paused || trial.Interrupted)
                {
                    trial.Status = TrialStatus.Pending;
                    trial.Interrupted = false;
                    if (trial.Reason == InterruptedReason) trial.Reason = null;
                }
                if (trial.PendingExploit is not null) ApplyExploit(trial);
            }
        }

        /// <summary>Starts the trials the scheduler chooses while slots are free, asking the searcher for a new trial when it chooses none.</summary>
        private void StartChosen(int maxConcurrent)
        {
            while (_running.Count < maxConcurrent)
            {
                var candidates = Candidates();
                var next = candidates.Count == 0 ? null : _scheduler.ChooseTrialToRun(this, candidates);
                if (next is null && AddSuggestedTrial() is { } added)
                {
                    next = _scheduler.ChooseTrialToRun(this, Candidates()) ?? added;
                }
                // A scheduler that chooses nothing while nothing runs would stall the sweep: run the rest in order instead.
                if (next is null && _running.Count == 0 && candidates.Count > 0) next = candidates[0];
                if (next is null) return;
                Start(next);
            }
        }

        /// <summary>The searcher's next trial, laid out and added to the state and the scheduler; null when it has none now.</summary>
        private TrialState? AddSuggestedTrial()
        {
            if (_searcher is not { Finished: false }) return null;
            int index = state.Trials.Count == 0 ? 0 : state.Trials.Max(t => t.Index) + 1;
            if (_searcher.Suggest(index) is not { } config) return null;
            var trial = ExperimentSetup.CreateTrial(spec, dir, state, SearchSpace.Variant(index, config, state.SearchSeed, spec.Source));
            state.Trials.Add(trial);
            _scheduler.OnTrialAdd(this, trial);
            _dirty = true;
            _options.Observer?.OnTrialStatus(Snapshot(trial));
            return trial;
        }

        private List<TrialState> Candidates() =>
            state.Trials.Where(t => t.Status is TrialStatus.Pending or TrialStatus.Paused && !_running.ContainsKey(t)).ToList();

        private void Start(TrialState trial)
        {
            string trialDir = TrialDir(trial);
            if (trial.PendingExploit is not null) ApplyExploit(trial);
            var hold = _scheduler.NextHold(trial);
            TrialControlFile.Write(trialDir, new TrialControlMessage { Hold = hold });
            ITrialHandle handle;
            try
            {
                handle = _executor.Start(trialDir);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
            {
                Fail(trial, $"the trial could not start: {e.Message}");
                return;
            }
            trial.Reason = null;
            trial.Job = handle.Job;
            Track(trial, handle, hold);
            SetStatus(trial, TrialStatus.Running);
            // The job id must be on disk before anything else can happen, or a resumed driver would submit the trial twice.
            if (handle.Job is not null) SaveNow();
        }

        private void Track(TrialState trial, ITrialHandle handle, TrialHold? hold)
        {
            handle.Exited.ContinueWith(_ => _wake.Release(), TaskScheduler.Default);
            _running[trial] = new RunningTrial(handle, new ResultTailer(Path.Combine(TrialDir(trial), TrialFiles.Results), trial.ResultsSeen))
            {
                Hold = hold,
            };
        }

        private void Poll(TrialState trial, RunningTrial run)
        {
            ReadResults(trial, run);
            if (run.HeldRow is { } held && CheckpointCovers(trial))
            {
                run.HeldRow = null;
                Decide(trial, run, held, atHold: true);
            }
            if (run.Handle.Exited.IsCompleted) Finish(trial, run);
            else if (run.StopRequested is { } asked && _clock.Elapsed - asked > _options.StopGrace) run.Handle.Kill();
        }

        private void ReadResults(TrialState trial, RunningTrial run)
        {
            if (run.HeldRow is not null) return;
            run.Tailer.ReadNew(row =>
            {
                trial.ResultsSeen = run.Tailer.RowsSeen;
                trial.Update(row, spec.Metric);
                run.LastRow = row;
                _progress = true;
                _options.Observer?.OnTrialResult(Snapshot(trial), row);
                if (run.Decided || run.HeldRow is not null) return;
                if (row.GetValueOrDefault("done") == 1 || _stopper.Reason(row) is not null)
                {
                    // The trial stops itself on the same criteria; the driver's request is only a backstop.
                    if (run.StopRequested is null)
                    {
                        TrialControlFile.Write(TrialDir(trial), TrialControl.Stop);
                        run.StopRequested = _clock.Elapsed;
                    }
                    run.Decided = true;
                    return;
                }
                bool atHold = run.Hold is { } hold && row.TryGetValue(hold.Attr, out var t) && t >= hold.At;
                if (atHold && run.Hold!.Checkpoint && !CheckpointCovers(trial)) run.HeldRow = row;
                else Decide(trial, run, row, atHold);
            });
        }

        /// <summary>Whether the trial's newest checkpoint was taken after the last row the driver read (a hold asked for it).</summary>
        private bool CheckpointCovers(TrialState trial) =>
            CheckpointStore.Latest(TrialDir(trial)) is { } latest && (latest.ResultRows ?? latest.TrainingIteration) >= trial.ResultsSeen;

        /// <summary>Asks the scheduler about one result and tells the trial; a trial waiting at a hold always gets an answer.</summary>
        private void Decide(TrialState trial, RunningTrial run, Dictionary<string, double> row, bool atHold)
        {
            SchedulerDecision decision;
            try
            {
                decision = _scheduler.OnTrialResult(this, trial, row);
            }
            catch (SchedulerException e)
            {
                run.SchedulerError = e.Message;
                decision = SchedulerDecision.Stop(e.Message);
            }
            _progress = true;
            string trialDir = TrialDir(trial);
            switch (decision.Action)
            {
                case SchedulerAction.Continue:
                    if (!atHold) return;
                    run.Hold = _scheduler.NextHold(trial);
                    TrialControlFile.Write(trialDir, new TrialControlMessage { Hold = run.Hold });
                    return;
                case SchedulerAction.Stop:
                    run.Decided = true;
                    if (run.SchedulerError is null)
                    {
                        trial.Reason = decision.Reason;
                        SetStatus(trial, TrialStatus.Terminated);
                    }
                    // Recorded before the trial hears it, so a driver killed now still knows the trial was stopped.
                    SaveNow();
                    TrialControlFile.Write(trialDir, TrialControl.Stop, run.SchedulerError is null ? "STOP" : "ERROR", decision.Reason);
                    run.StopRequested = _clock.Elapsed;
                    return;
                case SchedulerAction.Pause:
                    run.Decided = true;
                    trial.Reason = decision.Reason;
                    SetStatus(trial, TrialStatus.Paused);
                    SaveNow();
                    TrialControlFile.Write(trialDir, TrialControl.Pause, trial.PendingExploit is null ? "PAUSE" : "EXPLOIT", decision.Reason);
                    run.StopRequested = _clock.Elapsed;
                    return;
            }
        }

        private void Finish(TrialState trial, RunningTrial run)
        {
            ReadResults(trial, run);
            _running.Remove(trial);
            // A trial started by hand later must not obey the last message of this run (its sequence keeps growing).
            TrialControlFile.Write(TrialDir(trial), TrialControlMessage.None);
            string? detail = run.Handle.Detail;
            run.Handle.Dispose();
            var exited = run.Handle.Exited;
            int code = exited.IsCompletedSuccessfully ? exited.Result : -1;
            var last = run.LastRow ?? ResultLine.ReadAll(TrialDir(trial)).LastOrDefault();

            if (run.SchedulerError is { } error)
            {
                Fail(trial, error, retry: false);
            }
            else if (trial.Status == TrialStatus.Terminated)
            {
                Complete(trial, last);
            }
            else if (trial.Status == TrialStatus.Paused && (trial.Interrupted || code is TrialExitCodes.Paused or TrialExitCodes.Finished))
            {
                if (trial.PendingExploit is not null) ApplyExploit(trial);
                _options.Observer?.OnTrialStatus(Snapshot(trial));
            }
            else if (code == TrialExitCodes.Finished || (run.StopRequested is not null && trial.Status == TrialStatus.Running))
            {
                SetStatus(trial, TrialStatus.Terminated);
                Complete(trial, last);
            }
            else if (code is TrialExitCodes.Paused or TrialExitCodes.DriverGone or TrialExitCodes.Locked)
            {
                // Not a failure: it was told to go, or another copy of it (an orphan, a job Slurm requeued) still held its folder.
                SetStatus(trial, TrialStatus.Pending);
            }
            else
            {
                Fail(trial, exited.Exception is { } e ? $"the trial threw: {e.GetBaseException().Message}"
                    : detail ?? $"the trial process exited with code {code}");
            }
            trial.Job = null;
            _dirty = true;
        }

        private void Complete(TrialState trial, IReadOnlyDictionary<string, double>? last)
        {
            _scheduler.OnTrialComplete(this, trial, last);
            _searcher?.OnTrialComplete(trial.Index, last, trial.Reason is null ? TrialOutcome.Completed : TrialOutcome.StoppedEarly);
            _dirty = true;
        }

        /// <summary>Counts a failure: the trial restarts from its checkpoint while it has retries left, else it is ERROR.</summary>
        private void Fail(TrialState trial, string fallbackReason, bool retry = true)
        {
            string trialDir = TrialDir(trial);
            string errorPath = Path.Combine(trialDir, TrialFiles.Error);
            if (!File.Exists(errorPath)) AtomicFile.WriteAllText(errorPath, $"{DateTime.UtcNow:O} {fallbackReason}\n");
            trial.Error = StateRebuilder.FirstLine(errorPath);
            trial.NumFailures++;
            if (retry && trial.NumFailures <= spec.MaxFailures)
            {
                AtomicFile.Move(errorPath, Path.Combine(trialDir, $"error_{trial.NumFailures}.txt"));
                SetStatus(trial, TrialStatus.Pending);
            }
            else
            {
                SetStatus(trial, TrialStatus.Error);
                _scheduler.OnTrialError(this, trial);
                _searcher?.OnTrialComplete(trial.Index, null, TrialOutcome.Error);
            }
        }

        private async Task PauseAllAsync()
        {
            foreach (var (trial, run) in _running)
            {
                if (run.Decided) continue;
                run.Decided = true;
                trial.Status = TrialStatus.Paused;
                trial.Interrupted = true;
                trial.Reason = InterruptedReason;
                TrialControlFile.Write(TrialDir(trial), TrialControl.Pause);
            }
            var all = Task.WhenAll(_running.Values.Select(r => (Task)r.Handle.Exited));
            if (await Task.WhenAny(all, Task.Delay(_options.StopGrace)).ConfigureAwait(false) != all)
                foreach (var run in _running.Values) run.Handle.Kill();
            await all.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            foreach (var (trial, run) in _running.ToList()) Finish(trial, run);
            foreach (var waiting in state.Trials.Where(t => t.Status == TrialStatus.Pending))
            {
                waiting.Interrupted = true;
                SetStatus(waiting, TrialStatus.Paused);
            }
        }

        private const string InterruptedReason = "the driver was interrupted";

        private void ApplyExploit(TrialState trial)
        {
            var plan = trial.PendingExploit!;
            string trialDir = TrialDir(trial);
            string donor = Path.Combine(dir, plan.DonorCheckpoint);
            if (CheckpointStore.CloneInto(donor, trialDir, trial.ResultsSeen))
            {
                trial.Config = new Dictionary<string, object?>(plan.Config);
                TrialSpec.SaveConfig(trialDir, trial.Config);
            }
            else
            {
                trial.Reason = plan.Reason + $" (not applied: {plan.DonorCheckpoint} is gone; the trial continues as it was)";
            }
            trial.PendingExploit = null;
            _dirty = true;
        }

        // ISchedulerContext

        public TrialState? Find(string trialId) => state.Trials.FirstOrDefault(t => t.TrialId == trialId);

        public bool AnyWaiting => Candidates().Count > 0 || _searcher is { Finished: false };

        public CheckpointRef? LatestCheckpoint(TrialState trial) =>
            CheckpointStore.Latest(TrialDir(trial)) is { } latest
                ? new CheckpointRef(Path.GetRelativePath(dir, latest.Path), latest.TrainingIteration)
                : null;

        public void StopTrial(TrialState trial, string reason)
        {
            if (trial.Finished) return;
            trial.Reason = reason;
            SetStatus(trial, TrialStatus.Terminated);
            _searcher?.OnTrialComplete(trial.Index, ResultLine.ReadAll(TrialDir(trial)).LastOrDefault(), TrialOutcome.StoppedEarly);
        }

        public void UnpauseTrial(TrialState trial)
        {
            if (trial.Status != TrialStatus.Paused) return;
            trial.Reason = null;
            SetStatus(trial, TrialStatus.Pending);
        }

        public void Reconfigure(TrialState trial, IReadOnlyDictionary<string, object?> config, int? seed)
        {
            string trialDir = TrialDir(trial);
            trial.Config = new Dictionary<string, object?>(config);
            if (seed is { } s) trial.Seed = s;
            (TrialSpec.Load(trialDir) with { Seed = trial.Seed }).Save(trialDir, trial.Config);
            _dirty = true;
        }

        public void Exploit(TrialState trial, CheckpointRef donorCheckpoint, IReadOnlyDictionary<string, object?> config, string reason)
        {
            trial.PendingExploit = new ExploitPlan(donorCheckpoint.Path, donorCheckpoint.TrainingIteration, new Dictionary<string, object?>(config), reason);
            trial.Reason = reason;
            _dirty = true;
            if (!_running.ContainsKey(trial)) ApplyExploit(trial);
        }

        private string TrialDir(TrialState trial) => Path.Combine(dir, trial.Dir);

        private void SetStatus(TrialState trial, TrialStatus status)
        {
            trial.Status = status;
            _dirty = true;
            _options.Observer?.OnTrialStatus(Snapshot(trial));
        }

        /// <summary>Writes the state with the scheduler's; status changes and decisions are written at once.</summary>
        private void SaveNow()
        {
            state.Scheduler = _scheduler.SaveState();
            state.Searcher = _searcher?.SaveState();
            state.Save(dir);
            _dirty = _progress = false;
            _lastSave = _clock.Elapsed;
        }

        /// <summary>Writes the state after a status change, and after mere progress (rows read) at most once a second:
        /// a resumed driver feeds the rows it had not recorded again, which schedulers tolerate.</summary>
        private void SaveIfDirty()
        {
            if (_dirty || (_progress && _clock.Elapsed - _lastSave >= ProgressSaveInterval)) SaveNow();
        }

        private static readonly TimeSpan ProgressSaveInterval = TimeSpan.FromSeconds(1);

        private TrialSnapshot Snapshot(TrialState trial) =>
            TrialSnapshot.Of(trial, _running.TryGetValue(trial, out var run) ? run.Handle.Detail : null);

        private SweepSnapshot Snapshot() => new(spec.Name, dir, spec.Metric, spec.Mode, state.VaryingKeys,
            state.Trials.Select(Snapshot).ToList(), _clock.Elapsed)
        {
            Scheduler = _scheduler.Describe(),
        };
    }

    private sealed class RunningTrial(ITrialHandle handle, ResultTailer tailer)
    {
        public ITrialHandle Handle { get; } = handle;
        public ResultTailer Tailer { get; } = tailer;

        /// <summary>Where the trial waits for its next decision.</summary>
        public TrialHold? Hold { get; set; }

        /// <summary>A row at a hold whose checkpoint has not landed yet; decided once it has.</summary>
        public Dictionary<string, double>? HeldRow { get; set; }

        /// <summary>The last row read.</summary>
        public Dictionary<string, double>? LastRow { get; set; }

        /// <summary>A stop or pause was decided or requested; later rows are only recorded.</summary>
        public bool Decided { get; set; }

        /// <summary>When the trial was told to stop or pause (it is killed after the grace).</summary>
        public TimeSpan? StopRequested { get; set; }

        /// <summary>The scheduler could not use the trial's results; the trial ends in ERROR with this reason.</summary>
        public string? SchedulerError { get; set; }
    }
}
