using System.CommandLine;
using Research.Cli.Commands;

namespace Research.Cli;

/// <summary>The <c>research</c> command: one sub-command per job, each in its own file under Commands/.</summary>
public static class Program
{
    /// <summary>Runs the command line; exit codes 0 success, 1 failure, 2 usage error.</summary>
    public static int Main(string[] args)
    {
        var root = new RootCommand("Research: reinforcement-learning algorithms, environments and sweeps.");
        foreach (var command in CommandSet.All()) root.Subcommands.Add(command);
        return root.Parse(args).Invoke();
    }
}
