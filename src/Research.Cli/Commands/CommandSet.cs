using System.CommandLine;

namespace Research.Cli.Commands;

/// <summary>Every top-level sub-command of <c>research</c>; a new command group adds one line here.</summary>
internal static class CommandSet
{
    public static IEnumerable<Command> All()
    {
        foreach (var command in TuneCommands.Create(() => throw new InvalidOperationException("The plugin host's trial factory is not wired into `research sweep` yet."))) yield return command;
    }
}
