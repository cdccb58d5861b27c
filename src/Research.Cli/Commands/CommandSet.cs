using System.CommandLine;
using Research.Host.Training;
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
        yield return TrainCommands.Create(context);
        yield return EvalCommands.Create(context);
        yield return PredictCommands.Create(context);
        yield return BenchCommands.Create(context);
        yield return ExpertCommands.Create(context);
        yield return PretrainCommands.Create(context);
        yield return InteropCommands.Import(context);
        yield return InteropCommands.Export(context);
        yield return PlotCommands.Create(context);
        foreach (var command in TuneCommands.Create(() => new AlgorithmFactory(context.Catalog), SweepHooks)) yield return command;
    }
}
