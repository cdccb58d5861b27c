using Research.Abstractions.Algorithms;
using Spectre.Console;

namespace Research.Rl.Callbacks;

/// <summary>
/// Shows training progress in timesteps: a Spectre.Console progress bar on an interactive terminal, or a plain line
/// every tenth of the way when output is redirected, the <c>CI</c> variable is set, or a writer is given.
/// </summary>
public sealed class ProgressBarCallback : TrainingCallback, IDisposable
{
    private const int PlainSteps = 10;
    private readonly TextWriter? _plainOutput;
    private long _startTimesteps;
    private int _printedSteps;
    private ProgressTask? _task;
    private Task? _renderer;
    private ManualResetEventSlim? _finished;

    /// <summary>Creates a progress display for <paramref name="totalTimesteps"/> more timesteps.</summary>
    /// <param name="totalTimesteps">Timesteps this training call will consume.</param>
    /// <param name="plainOutput">Write plain lines here instead of drawing a bar (tests, logs).</param>
    public ProgressBarCallback(long totalTimesteps, TextWriter? plainOutput = null)
    {
        if (totalTimesteps <= 0) throw new ArgumentOutOfRangeException(nameof(totalTimesteps), totalTimesteps, "ProgressBarCallback: total timesteps must be positive.");
        TotalTimesteps = totalTimesteps;
        _plainOutput = plainOutput ?? (IsInteractiveTerminal() ? null : Console.Out);
    }

    /// <summary>Timesteps at 100%.</summary>
    public long TotalTimesteps { get; }

    /// <summary>True when progress is drawn as a bar rather than printed as lines.</summary>
    public bool DrawsBar => _plainOutput is null;

    /// <inheritdoc />
    public override void OnTrainingStart(IAlgorithm algorithm)
    {
        _startTimesteps = algorithm.NumTimesteps;
        _printedSteps = 0;
        if (!DrawsBar) return;
        using var ready = new ManualResetEventSlim();
        _finished = new ManualResetEventSlim();
        var finished = _finished;
        // Spectre's progress display runs inside a callback; keep it on its own thread until training ends.
        _renderer = Task.Run(() => AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                _task = context.AddTask("timesteps", maxValue: TotalTimesteps);
                ready.Set();
                finished.Wait();
            }));
        // If the display fails to start, surface its exception instead of waiting forever.
        while (!ready.Wait(50))
        {
            if (_renderer.IsCompleted) _renderer.GetAwaiter().GetResult();
        }
    }

    /// <inheritdoc />
    public override bool OnStep(IAlgorithm algorithm)
    {
        long done = Math.Min(algorithm.NumTimesteps - _startTimesteps, TotalTimesteps);
        if (_task is not null) _task.Value = done;
        else if (_plainOutput is not null)
        {
            int steps = (int)(done * PlainSteps / TotalTimesteps);
            if (steps > _printedSteps)
            {
                _printedSteps = steps;
                _plainOutput.WriteLine($"Progress: {steps * 100 / PlainSteps}% ({done}/{TotalTimesteps} timesteps)");
            }
        }
        return true;
    }

    /// <inheritdoc />
    public override void OnTrainingEnd(IAlgorithm algorithm)
    {
        OnStep(algorithm);
        StopRenderer();
    }

    /// <summary>Stops the bar if training did not end normally.</summary>
    public void Dispose() => StopRenderer();

    private void StopRenderer()
    {
        _finished?.Set();
        _renderer?.Wait();
        _finished?.Dispose();
        _finished = null;
        _renderer = null;
        _task = null;
    }

    private static bool IsInteractiveTerminal() =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));
}
