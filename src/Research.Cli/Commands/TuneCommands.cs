using System.CommandLine;
using Research.Tune;
using Spectre.Console;

namespace Research.Cli.Commands;

/// <summary>What the host gives the sweep commands besides the factory: trial hooks (threads, TensorBoard sinks) and a sweep observer (hparams).</summary>
public sealed record TuneCommandOptions
{
    /// <summary>Hooks for each trial process (<see cref="TrialProcessOptions.ConfigureThreads"/>, <see cref="TrialProcessOptions.SinkFactory"/>).</summary>
    public TrialProcessOptions Trial { get; init; } = new();

    /// <summary>An extra observer per experiment directory (for example the TensorBoard hparams writer).</summary>
    public Func<string, ISweepObserver>? SweepObserver { get; init; }
}

/// <summary><c>research sweep</c>, <c>research trial run</c> and <c>research analyze</c>.</summary>
public static class TuneCommands
{
    /// <summary>The commands; <paramref name="factory"/> is asked for the host's trial factory only when a sweep or trial runs.</summary>
    public static IEnumerable<Command> Create(Func<ITrialFactory> factory, TuneCommandOptions? options = null)
    {
        options ??= new TuneCommandOptions();
        yield return Sweep(factory, options);
        yield return Trial(factory, options);
        yield return Analyze();
    }

    private static Command Sweep(Func<ITrialFactory> factory, TuneCommandOptions options)
    {
        var spec = new Argument<string?>("spec") { Description = "The sweep spec (YAML).", Arity = ArgumentArity.ZeroOrOne };
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue an interrupted sweep: the spec's experiment, or the experiment directory given.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var rebuild = new Option<bool>("--rebuild") { Description = "With --resume: rebuild experiment_state.json from the trial directories." };
        var maxConcurrent = new Option<int?>("--max-concurrent") { Description = "Trials at once (overrides the spec)." };
        var command = new Command("sweep", "Run a hyperparameter sweep: parallel trial processes with checkpoints, resume and a live status table.")
        {
            spec, resume, rebuild, maxConcurrent,
        };
        command.SetAction(parse =>
        {
            string? specPath = parse.GetValue(spec);
            bool resuming = parse.GetResult(resume) is not null;
            if (!resuming && specPath is null) return Usage("sweep needs a spec file, or --resume <experiment_dir>.");
            if (parse.GetValue(rebuild) && !resuming) return Usage("--rebuild goes with --resume.");
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                Console.Error.WriteLine("Interrupted: pausing trials (they save a checkpoint); resume with --resume.");
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                var loaded = specPath is null ? null : SpecLoader.LoadFile(specPath);
                string experimentDir = parse.GetValue(resume) ?? loaded!.ExperimentDirectory;
                var display = new StatusDisplay(options.SweepObserver?.Invoke(experimentDir));
                // A resumed sweep runs where it ran before: its executor comes from the spec it was created with.
                var running = resuming && File.Exists(Path.Combine(experimentDir, TrialFiles.ExperimentSpec))
                    ? ExperimentSetup.LoadSpec(experimentDir) : loaded!;
                var executor = ExecutorFactory.Create(running, TrialCommand.CurrentExecutable("trial", "run", TrialCommand.TrialDirPlaceholder));
                using var release = executor as IDisposable;
                var runner = new SweepRunner(factory(), executor,
                    new SweepRunnerOptions { Observer = display, MaxConcurrent = parse.GetValue(maxConcurrent) });
                var run = resuming
                    ? runner.ResumeAsync(experimentDir, parse.GetValue(rebuild), cancel.Token)
                    : runner.RunAsync(loaded!, cancel.Token);
                var final = display.Show(run);
                PrintSummary(final);
                return final.Finished && final.Count(TrialStatus.Error) == 0 ? 0 : 1;
            }
            catch (Exception e) when (e is SpecException or CorruptStateException or FileNotFoundException
                                           or DirectoryNotFoundException or InvalidOperationException or InvalidDataException)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        });
        return command;
    }

    private static Command Trial(Func<ITrialFactory> factory, TuneCommandOptions options)
    {
        var dir = new Argument<string>("trial_dir") { Description = "The trial directory (holds params.json and trial_spec.json)." };
        var run = new Command("run", "Run one trial from its directory (the sweep driver starts these).") { dir };
        run.SetAction(parse =>
        {
            try
            {
                return TrialProcess.Run(parse.GetValue(dir)!, factory(), options.Trial);
            }
            catch (DirectoryNotFoundException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
        });
        return new Command("trial", "One trial of a sweep.") { run };
    }

    private static Command Analyze()
    {
        var dir = new Argument<string>("experiment_dir") { Description = "The experiment directory (output/name)." };
        var metric = new Option<string?>("--metric") { Description = "The result key that ranks trials (default: the spec's)." };
        var mode = new Option<string?>("--mode") { Description = "max or min (default: the spec's)." };
        mode.AcceptOnlyFromAmong("max", "min");
        var scope = new Option<string>("--scope")
        {
            Description = "Which results count: last, max (best of all iterations), avg, last-5-avg, last-10-avg.",
            DefaultValueFactory = _ => "last",
        };
        scope.AcceptOnlyFromAmong([.. ResultScopes.Names, "all"]);
        var command = new Command("analyze", "Table of a sweep's trials and its best trial; writes trials.csv and analysis.json.")
        {
            dir, metric, mode, scope,
        };
        command.SetAction(parse =>
        {
            try
            {
                var analysis = ExperimentAnalysis.Load(parse.GetValue(dir)!);
                string? m = parse.GetValue(metric) ?? analysis.Spec.Metric;
                if (m is null) return Usage($"{analysis.Directory}: the spec names no metric; pass --metric.");
                var optimization = parse.GetValue(mode) is { } text ? SpecLoader.ParseMode(text, "--mode", "mode") : analysis.Spec.Mode;
                var s = ResultScopes.Parse(parse.GetValue(scope)!);
                analysis.WriteReports(m, optimization, s);
                PrintAnalysis(analysis, m, optimization, s);
                return 0;
            }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException or InvalidDataException or SpecException)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }

    private static void PrintAnalysis(ExperimentAnalysis analysis, string metric, OptimizationMode mode, ResultScope scope)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns(["Trial", "Status", .. analysis.VaryingKeys.Select(k => k.Split('.')[^1]), "iter", "timesteps", $"{metric} ({ResultScopes.Names[(int)scope]})"]);
        foreach (var trial in analysis.Trials)
        {
            table.AddRow([
                trial.TrialId, ExperimentAnalysis.StatusName(trial.Status),
                .. analysis.VaryingKeys.Select(k => Markup.Escape(StatusTable.FormatValue(trial.Config.GetValueOrDefault(k)))),
                trial.Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
                trial.Timesteps.ToString(System.Globalization.CultureInfo.InvariantCulture),
                trial.Score(metric, mode, scope)?.ToString("G6", System.Globalization.CultureInfo.InvariantCulture) ?? "",
            ]);
        }
        AnsiConsole.Write(table);
        var best = analysis.GetBestTrial(metric, mode, scope);
        if (best is null)
        {
            AnsiConsole.WriteLine($"No trial reported {metric}.");
            return;
        }
        AnsiConsole.WriteLine($"Best trial: {best.TrialId} ({metric} = {best.Score(metric, mode, scope):G6}, {Path.GetFileName(best.Dir)})");
        foreach (var (key, value) in best.Config) AnsiConsole.WriteLine($"  {key}: {StatusTable.FormatValue(value)}");
        AnsiConsole.WriteLine($"Best checkpoint: {best.BestCheckpoint(metric, mode)?.Path ?? "(none)"}");
        AnsiConsole.WriteLine($"Wrote {Path.Combine(analysis.Directory, TrialFiles.TrialsCsv)} and {Path.Combine(analysis.Directory, TrialFiles.Analysis)}.");
    }

    private static void PrintSummary(SweepSnapshot snapshot)
    {
        AnsiConsole.Write(BuildTable(snapshot));
        AnsiConsole.WriteLine(StatusTable.Summary(snapshot));
        if (snapshot.Scheduler is { } scheduler) AnsiConsole.WriteLine(scheduler);
        if (snapshot.Best is { } best)
        {
            AnsiConsole.WriteLine($"Best trial: {best.TrialId} ({best.Dir})");
            foreach (var (key, value) in best.Config) AnsiConsole.WriteLine($"  {key}: {StatusTable.FormatValue(value)}");
        }
        if (!snapshot.Finished) AnsiConsole.WriteLine($"Not finished; continue with: research sweep --resume {snapshot.ExperimentDirectory}");
    }

    private static Table BuildTable(SweepSnapshot snapshot, int maxRows = int.MaxValue)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(snapshot.Name));
        table.AddColumns(StatusTable.Columns(snapshot).Select(Markup.Escape).ToArray());
        foreach (var row in StatusTable.Rows(snapshot, maxRows)) table.AddRow(row.Select(Markup.Escape).ToArray());
        return table;
    }

    /// <summary>Shows the sweep's status: a live table on an interactive terminal, plain lines every few seconds otherwise (or when <c>CI</c> is set).</summary>
    private sealed class StatusDisplay(ISweepObserver? inner) : ISweepObserver
    {
        private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);
        private readonly bool _interactive = !Console.IsOutputRedirected &&
                                             string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) &&
                                             AnsiConsole.Profile.Capabilities.Interactive;
        private volatile SweepSnapshot? _latest;
        private DateTime _lastLine;

        public void OnSweepStart(SweepSpec spec, SweepSnapshot snapshot)
        {
            _latest = snapshot;
            inner?.OnSweepStart(spec, snapshot);
            if (!_interactive) Console.WriteLine($"{snapshot.Name}: {snapshot.Trials.Count} trials in {snapshot.ExperimentDirectory}");
        }

        public void OnTrialResult(TrialSnapshot trial, IReadOnlyDictionary<string, double> result) => inner?.OnTrialResult(trial, result);

        public void OnTrialStatus(TrialSnapshot trial)
        {
            inner?.OnTrialStatus(trial);
            if (_interactive) return;
            string? why = trial.Status == TrialStatus.Error ? trial.Error : trial.Reason;
            if (trial.Status is TrialStatus.Terminated or TrialStatus.Error || (trial.Status == TrialStatus.Paused && trial.Reason is not null))
                Console.WriteLine($"Trial {trial.TrialId} {ExperimentAnalysis.StatusName(trial.Status)}{(why is null ? "" : $": {why}")}");
        }

        public void OnStatus(SweepSnapshot snapshot)
        {
            _latest = snapshot;
            inner?.OnStatus(snapshot);
            if (_interactive || DateTime.UtcNow - _lastLine < PlainInterval) return;
            _lastLine = DateTime.UtcNow;
            Console.WriteLine(StatusTable.Summary(snapshot));
        }

        public void OnSweepEnd(SweepSnapshot snapshot)
        {
            _latest = snapshot;
            inner?.OnSweepEnd(snapshot);
        }

        /// <summary>Waits for the sweep, refreshing the live table meanwhile; returns its final snapshot.</summary>
        public SweepSnapshot Show(Task<SweepSnapshot> run)
        {
            if (!_interactive) return run.GetAwaiter().GetResult();
            var table = new Table();
            AnsiConsole.Live(table).AutoClear(true).Start(context =>
            {
                while (!run.Wait(500))
                {
                    if (_latest is not { } snapshot) continue;
                    context.UpdateTarget(new Rows(BuildTable(snapshot, Math.Max(5, Console.WindowHeight - 9)),
                        new Text(StatusTable.Summary(snapshot)), new Text(snapshot.Scheduler ?? "")));
                }
            });
            return run.GetAwaiter().GetResult();
        }
    }
}
