using System.CommandLine;
using Research.Cli.Commands;
using Research.Host;

namespace Research.Cli;

/// <summary>The <c>research</c> command: one sub-command per job, each in its own file under Commands/.</summary>
public static class Program
{
    /// <summary>Exit code of a successful run.</summary>
    public const int Success = 0;

    /// <summary>Exit code of a run that failed (bad configuration, unknown plugin, a plugin error).</summary>
    public const int Failure = 1;

    /// <summary>Exit code of a command line that does not parse.</summary>
    public const int UsageError = 2;

    /// <summary>The environment variable that, set to 1, prints stack traces with errors (as <c>--debug</c> does).</summary>
    public const string DebugVariable = "RESEARCH_DEBUG";

    /// <summary>Runs the command line; exit codes 0 success, 1 failure, 2 usage error.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line writing to the given writers; <paramref name="configurePlugins"/> adjusts plugin search (tests use it).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, Action<PluginHostOptions>? configurePlugins = null)
    {
        using var context = new CliContext(output, error, configurePlugins);
        // One meaning per flag name: --debug prints stack traces anywhere; --verbose is the algorithm's verbosity (train), as in SB3.
        var debugOption = new Option<bool>("--debug") { Description = "Print stack traces with errors (or set RESEARCH_DEBUG=1).", Recursive = true };
        var root = new RootCommand("Research: reinforcement-learning algorithms, environments and sweeps.") { debugOption };
        root.Options.OfType<VersionOption>().Single().Action = new VersionAction();
        foreach (var command in CommandSet.All(context)) root.Subcommands.Add(command);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
        {
            // "Required command was not provided" comes alongside the error naming the offending token, which says more.
            var first = parse.Errors.FirstOrDefault(e => e.Message.Contains('\'')) ?? parse.Errors[0];
            error.WriteLine($"error: {first.Message} (see '{CommandPath(parse)} --help')");
            return UsageError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            bool debug = parse.GetValue(debugOption) || Environment.GetEnvironmentVariable(DebugVariable) == "1";
            error.WriteLine(debug ? $"error: {e}" : $"error: {e.Message}");
            return Failure;
        }
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(result.Command is RootCommand ? "research" : result.Command.Name);
        names.Reverse();
        return string.Join(" ", names);
    }
}
