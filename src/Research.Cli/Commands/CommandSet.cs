using System.CommandLine;
using Research.TensorBoard;
using Research.Tensors;
using Research.Tune;

namespace Research.Cli.Commands;

/// <summary>Every top-level sub-command of <c>research</c>; a new command group adds one line here.</summary>
internal static class CommandSet
{
    /// <summary>Every trial pins the tensor engine to its thread budget and logs to TensorBoard in its own directory; the sweep writes the HParams records.</summary>
    private static readonly TuneCommandOptions SweepHooks = new()
    {
        Trial = new TrialProcessOptions
        {
            ConfigureThreads = threads => Parallelism.GlobalMaxThreads = threads,
            SinkFactory = trialDir => [new TensorBoardSink(trialDir)],
        },
        SweepObserver = experimentDir => new TensorBoardSweepObserver(experimentDir),
    };

    public static IEnumerable<Command> All(CliContext context)
    {
        yield return PluginsCommands.Create(context);
        yield return EnvCommands.Create(context);
        yield return TensorBoardCommands.Create();
        yield return ExpertCommands.Create(context);
        yield return PretrainCommands.Create(context);
        foreach (var command in TuneCommands.Create(() => throw new InvalidOperationException("The plugin host's trial factory is not wired into `research sweep` yet."), SweepHooks)) yield return command;
    }
}
