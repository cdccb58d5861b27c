using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Research.Cli;

/// <summary>Prints this tool's version; the built-in action prints the entry assembly's, which is wrong when <c>research</c> runs inside another process.</summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var assembly = typeof(VersionAction).Assembly;
        parseResult.InvocationConfiguration.Output.WriteLine(
            assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString());
        return Program.Success;
    }
}
