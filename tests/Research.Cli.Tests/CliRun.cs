namespace Research.Cli.Tests;

/// <summary>One in-process run of <c>research</c> against the fixture plugins in this test project's plugins/ folder.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static CliRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(args, output, error, o => o.UseEnvironmentVariable = false);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
