namespace Research.Cli.Tests;

public class CommandLineTests
{
    [Theory]
    [InlineData("plugins", "lst")]
    [InlineData("plugins", "list", "--bogus")]
    [InlineData("plugins", "show")]
    [InlineData("plugins")]
    [InlineData]
    public void A_command_line_that_does_not_parse_exits_2_with_one_line(params string[] args)
    {
        var run = CliRun.Of(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith("error: ", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void A_usage_error_names_the_offending_token_and_where_to_get_help()
    {
        Assert.Equal(["error: Unrecognized command or argument 'lst'. (see 'research plugins --help')"], CliRun.Of("plugins", "lst").ErrorLines);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("plugins", "--help")]
    [InlineData("plugins", "list", "--help")]
    [InlineData("plugins", "show", "--help")]
    public void Every_command_has_help(params string[] args)
    {
        var run = CliRun.Of(args);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Out);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void Version_prints_the_version()
    {
        var run = CliRun.Of("--version");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("0.1.0", run.Out);
    }
}
