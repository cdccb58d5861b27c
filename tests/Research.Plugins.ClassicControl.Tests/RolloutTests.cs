using System.Text.Json;
using Research.Plugins.ClassicControl.Tests.Imaging;
using Research.Rl.Rollouts;

namespace Research.Plugins.ClassicControl.Tests;

/// <summary>The library entry points behind <c>research env rollout</c> and <c>research env render</c>.</summary>
public sealed class RolloutTests
{
    [Fact]
    public void Fixed_actions_reproduce_the_Gymnasium_episode_as_json_lines()
    {
        using var document = Golden.Load("CartPole-v1");
        var episode = document.RootElement.GetProperty("episodes")[0];
        var actions = episode.GetProperty("steps").EnumerateArray().Select(s => new[] { (float)s.GetProperty("action").GetInt32() }).ToList();
        using var env = EnvFactory.CreateLimited("CartPole-v1");
        var output = new StringWriter();
        var summaries = Rollout.WriteJsonLines(env, ActionPolicies.Fixed(actions), new RolloutOptions { Seed = 0, Episodes = 1 }, output);

        Assert.Equal(new EpisodeSummary(0, 22.0, 22), Assert.Single(summaries));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(1 + 22 + 1, lines.Count);
        Assert.Equal("reset", lines[0].GetProperty("type").GetString());
        Assert.Equal(0, lines[0].GetProperty("seed").GetInt32());
        var last = lines[22];
        Assert.True(last.GetProperty("terminated").GetBoolean());
        GoldenEpisodeTests.AssertClose(Golden.Doubles(episode.GetProperty("steps")[21].GetProperty("obs")),
            Golden.Doubles(last.GetProperty("obs")), "last obs");
        Assert.Equal(22, lines[23].GetProperty("length").GetInt32());
    }

    [Fact]
    public void Later_episodes_continue_the_generator_and_a_policy_sees_observations()
    {
        using var env = EnvFactory.CreateLimited("CartPole-v1");
        var output = new StringWriter();
        ActionPolicy balance = (observation, action) => action[0] = observation[2] + 0.5f * observation[3] > 0 ? 1 : 0;
        var summaries = Rollout.WriteJsonLines(env, balance, new RolloutOptions { Seed = 0, Episodes = 2 }, output);
        Assert.Equal([500, 500], summaries.Select(s => s.Length));
        var resets = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).Where(l => l.GetProperty("type").GetString() == "reset").ToList();
        Assert.Equal(JsonValueKind.Null, resets[1].GetProperty("seed").ValueKind);
        using var document = Golden.Load("CartPole-v1");
        var next = document.RootElement.GetProperty("policy_episodes")[0].GetProperty("next_reset_without_seed").GetProperty("obs");
        GoldenEpisodeTests.AssertClose(Golden.Doubles(next), Golden.Doubles(resets[1].GetProperty("obs")), "second reset");
    }

    [Fact]
    public void Fixed_actions_that_run_out_say_so()
    {
        using var env = EnvFactory.CreateLimited("MountainCar-v0");
        var error = Assert.Throws<InvalidOperationException>(() =>
            Rollout.WriteJsonLines(env, ActionPolicies.Fixed([[1f], [2f]]), new RolloutOptions { Seed = 0 }, new StringWriter()));
        Assert.Contains("2 actions", error.Message);
    }

    [Fact]
    public void Gif_recorder_writes_one_frame_per_step_plus_the_first()
    {
        using var env = EnvFactory.CreateLimited("Acrobot-v1");
        string path = Path.Combine(Path.GetTempPath(), $"acrobot-{Guid.NewGuid():N}.gif");
        try
        {
            int frames = GifRecorder.Record(env, 6, 0, ActionPolicies.Random(env, 0), path, 50);
            Assert.Equal(7, frames);
            var gif = GifDecoder.Decode(File.ReadAllBytes(path));
            Assert.Equal(7, gif.Frames.Count);
            Assert.Equal((500, 500), (gif.Width, gif.Height));
            Assert.All(gif.DelaysCentiseconds, d => Assert.Equal(5, d));
            Assert.False(File.Exists(path + ".tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
