using System.Diagnostics;
using System.Reflection;

namespace Research.EndToEnd.Tests;

/// <summary>
/// <c>run.ps1</c> under PowerShell 7 (installed as a .NET tool): each verb behaves as the dotnet command it wraps — same output,
/// same exit code — for the cheap paths: plugins, a tiny train, a failing train and a usage error.
/// </summary>
public sealed class RunScriptTests : IDisposable
{
    private const string PowerShellVersion = "7.6.9";
    private readonly string _dir = Directory.CreateTempSubdirectory("research-runps1-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Root => typeof(RunScriptTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ResearchRoot").Value!;

    [Fact]
    public void Run_ps1_verbs_behave_as_the_dotnet_commands_they_wrap()
    {
        string tools = Path.Combine(_dir, "tools");
        var install = Start("dotnet", ["tool", "install", "PowerShell", "--version", PowerShellVersion, "--tool-path", tools]);
        Assert.True(install.Code == 0, install.Out + install.Error);
        string pwsh = Path.Combine(tools, OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh");
        string[] cli = ["run", "--project", Path.Combine(Root, "src", "Research.Cli"), "--"];
        string model = Path.Combine(_dir, "ps"), direct = Path.Combine(_dir, "direct");
        (string[] Script, string[] Dotnet)[] cases =
        [
            (["plugins"], [.. cli, "plugins", "list"]),
            (["train", "PPO", "CartPole-v1", "--timesteps", "64", "--config", "n_steps=64", "--seed", "0", "-o", model],
             [.. cli, "train", "PPO", "CartPole-v1", "--timesteps", "64", "--config", "n_steps=64", "--seed", "0", "-o", direct]),
            (["train", "NoSuchAlgorithm", "CartPole-v1", "--timesteps", "64"], [.. cli, "train", "NoSuchAlgorithm", "CartPole-v1", "--timesteps", "64"]),
            (["plugins", "show"], [.. cli, "plugins", "show"]),
        ];
        foreach (var (script, dotnet) in cases)
        {
            var wrapped = Start(pwsh, ["-NoProfile", "-NonInteractive", "-File", Path.Combine(Root, "run.ps1"), .. script]);
            var plain = Start("dotnet", dotnet);
            string what = string.Join(' ', script);
            Assert.True(plain.Code == wrapped.Code, $"run.ps1 {what}: exit {wrapped.Code}, dotnet: {plain.Code}\n{wrapped.Error}\n{plain.Error}");
            Assert.Equal(plain.Out.Replace(direct, model, StringComparison.Ordinal).Split('\n').Where(l => !l.Contains(" steps/s)", StringComparison.Ordinal)),
                wrapped.Out.Split('\n').Where(l => !l.Contains(" steps/s)", StringComparison.Ordinal)));
        }
        Assert.True(File.Exists(Path.Combine(model, "model.zip")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(direct, "model.zip")).Length > 0, File.ReadAllBytes(Path.Combine(model, "model.zip")).Length > 0);
    }

    private static (int Code, string Out, string Error) Start(string fileName, string[] args)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        foreach (string argument in args) start.ArgumentList.Add(argument);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList()) start.Environment.Remove(key);
        start.Environment["CI"] = "true";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', args)} did not finish in 10 minutes.");
        }
        return (process.ExitCode, output, error.Result);
    }
}
