using Research.Cli;

namespace Research.EndToEnd.Tests;

/// <summary>One in-process run of <c>research</c> with the real plugins (copied into this test project's plugins/ folder).</summary>
internal sealed record Cli(int ExitCode, string Out, string Error)
{
    public static Cli Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(args, output, error, o => o.UseEnvironmentVariable = false);
        return new Cli(code, output.ToString(), error.ToString());
    }

    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
