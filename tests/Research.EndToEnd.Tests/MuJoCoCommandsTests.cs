using System.Diagnostics;

namespace Research.EndToEnd.Tests;

/// <summary>The MuJoCo plugin through the command line: rendering headless, and a host that works without libmujoco.</summary>
public sealed class MuJoCoCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-mujoco-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Env_render_writes_a_headless_gif_of_a_MuJoCo_environment()
    {
        string gif = Path.Combine(_dir, "cheetah.gif");
        var run = Cli.Run("env", "render", "HalfCheetah-v4", "--steps", "4", "--seed", "0", "-o", gif);

        Assert.True(run.ExitCode == 0, run.Error);
        var bytes = File.ReadAllBytes(gif);
        Assert.Equal("GIF89a"u8.ToArray(), bytes[..6]);
        Assert.Equal(480, BitConverter.ToUInt16(bytes, 6));
    }

    [Fact]
    public async Task Without_the_MuJoCo_library_the_host_works_and_plugins_list_says_why()
    {
        // A separate process: the library is looked up once per process, and MUJOCO_PATH points at an empty folder.
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "research.dll"), "plugins", "list"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["MUJOCO_PATH"] = _dir;
        start.Environment.Remove("RESEARCH_PLUGIN_PATH");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, error);
        var lines = (await output).Split('\n');
        Assert.Contains(lines, l => l.StartsWith("environment  CartPole-v1"));
        Assert.Contains(lines, l => l.StartsWith("environment  HalfCheetah-v4"));
        var reason = Assert.Single(lines, l => l.StartsWith("  Research.Plugins.MuJoCo.dll ("));
        Assert.Contains("HalfCheetah-v4", reason);
        Assert.Contains("the MuJoCo 2.2.2 library (libmujoco.so.2.2.2) was not found in MUJOCO_PATH=" + _dir, reason);
        Assert.DoesNotContain("warning", error);
    }
}
