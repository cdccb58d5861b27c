using System.CommandLine;

namespace Research.Cli.Commands;

/// <summary>Every top-level sub-command of <c>research</c>; a new command group adds one line here.</summary>
internal static class CommandSet
{
    public static IEnumerable<Command> All(CliContext context)
    {
        yield return PluginsCommands.Create(context);
        yield return EnvCommands.Create(context);
        yield return TensorBoardCommands.Create();
        yield return TrainCommands.Create(context);
        yield return EvalCommands.Create(context);
        yield return PredictCommands.Create(context);
        yield return BenchCommands.Create(context);
    }
}
