using System.Text.Json;

namespace Research.EndToEnd.Tests;

public sealed class EnvCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-env-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Rollout_prints_the_seeded_Gymnasium_episode_as_json_lines()
    {
        var run = Cli.Run("env", "rollout", "CartPole-v1", "--seed", "0");

        Assert.Equal(0, run.ExitCode);
        var lines = run.OutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("reset", lines[0].GetProperty("type").GetString());
        // gymnasium.make("CartPole-v1").reset(seed=0)[0], from the recorded golden episodes.
        float[] expected = [0.013696169f, -0.02302133f, -0.045902647f, -0.048347235f];
        Assert.Equal(expected, lines[0].GetProperty("obs").EnumerateArray().Select(e => e.GetSingle()));
        var end = lines[^1];
        Assert.Equal("end", end.GetProperty("type").GetString());
        Assert.Equal(lines.Count - 2, end.GetProperty("length").GetInt32());
    }

    [Fact]
    public void Rollout_replays_an_action_file_and_stops_where_it_ends()
    {
        string actions = Path.Combine(_dir, "actions.txt");
        File.WriteAllLines(actions, ["0", "1", "1"]);

        var run = Cli.Run("env", "rollout", "CartPole-v1", "--seed", "0", "--actions", actions);

        Assert.Equal(0, run.ExitCode);
        var steps = run.OutLines.Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("type").GetString() == "step").ToList();
        Assert.Equal([0f, 1f, 1f], steps.Select(s => s.GetProperty("action")[0].GetSingle()));
    }

    [Fact]
    public void Rollout_of_a_malformed_action_file_names_the_file_and_line()
    {
        string actions = Path.Combine(_dir, "bad.txt");
        File.WriteAllLines(actions, ["[0.5]", "left"]);

        var run = Cli.Run("env", "rollout", "Pendulum-v1", "--actions", actions);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{actions}:2: 'left' is not an action", run.Error);
    }

    [Fact]
    public void Render_writes_an_animated_gif()
    {
        string gif = Path.Combine(_dir, "pendulum.gif");

        var run = Cli.Run("env", "render", "Pendulum-v1", "--steps", "5", "--seed", "1", "-o", gif);

        Assert.Equal(0, run.ExitCode);
        var bytes = File.ReadAllBytes(gif);
        Assert.Equal("GIF89a", System.Text.Encoding.ASCII.GetString(bytes, 0, 6));
        Assert.Equal(0x3B, bytes[^1]); // the GIF trailer: the file is complete
    }

    [Theory]
    [InlineData("CartPole-v1")]
    [InlineData("MountainCar-v0")]
    [InlineData("MountainCarContinuous-v0")]
    [InlineData("Pendulum-v1")]
    [InlineData("Acrobot-v1")]
    public void Check_passes_every_classic_control_environment(string id)
    {
        var run = Cli.Run("env", "check", id);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"{id}: ok", run.Out);
    }

    [Fact]
    public void An_unknown_environment_suggests_the_nearest_id()
    {
        var run = Cli.Run("env", "rollout", "CartPol-v1");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: unknown environment 'CartPol-v1'; did you mean 'CartPole-v1'?", run.Error.Trim());
    }
}
