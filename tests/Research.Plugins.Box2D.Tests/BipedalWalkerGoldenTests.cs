using Research.Plugins.Box2D.BipedalWalker;

namespace Research.Plugins.Box2D.Tests;

/// <summary>BipedalWalker against Gymnasium's own code on the same Box2D: terrain, obstacles and clouds from the seed, then every step bit for bit.</summary>
public sealed class BipedalWalkerGoldenTests
{
    public static TheoryData<int> Episodes() => GoldenFile.Indices("bipedal_walker");

    [Theory]
    [MemberData(nameof(Episodes))]
    public void Episode_matches_Gymnasium_step_for_step(int index)
    {
        var episode = GoldenFile.Episode("bipedal_walker", index);
        string what = episode.Describe();
        bool hardcore = episode.GetProperty("kwargs").TryGetProperty("hardcore", out var h) && h.GetBoolean();
        using var env = new BipedalWalkerEnv(new BipedalWalkerOptions { Hardcore = hardcore });
        var obs = new float[24];
        env.Reset(obs, episode.GetProperty("seed").GetInt32());

        Assert.Equal(episode.GetProperty("terrain_x").Doubles(), env.TerrainX.ToArray());
        Assert.Equal(episode.GetProperty("terrain_y").Doubles(), env.TerrainY.ToArray());
        var obstacles = episode.GetProperty("obstacles").EnumerateArray().Select(p => p.EnumerateArray().Select(v => (v[0].GetDouble(), v[1].GetDouble())).ToArray()).ToArray();
        Assert.Equal(obstacles.Length, env.Obstacles.Count);
        for (int i = 0; i < obstacles.Length; i++)
            Assert.Equal(obstacles[i].Select(p => ((float)p.Item1, (float)p.Item2)), env.Obstacles[i].Select(p => ((float)p.X, (float)p.Y)));
        var clouds = episode.GetProperty("clouds").EnumerateArray().Select(p => p.EnumerateArray().Select(v => (v[0].GetDouble(), v[1].GetDouble())).ToArray()).ToArray();
        Assert.Equal(clouds, env.Clouds.Select(c => c.Select(p => (p.X, p.Y)).ToArray()).ToArray());
        Assert.True(episode.GetProperty("initial_obs").Floats().SequenceEqual(obs), $"{what}: initial observation");

        var action = new float[4];
        int t = 0;
        foreach (var step in episode.GetProperty("steps").EnumerateArray())
        {
            step.GetProperty("action").Floats().CopyTo(action, 0);
            var outcome = env.Step(action, obs);
            Assert.True(step.GetProperty("obs").Floats().SequenceEqual(obs),
                $"{what}, step {t}: observation [{string.Join(", ", obs)}], expected [{string.Join(", ", step.GetProperty("obs").Floats())}]");
            Assert.Equal(step.GetProperty("reward").GetDouble(), outcome.Reward);
            Assert.Equal(step.GetProperty("terminated").GetBoolean(), outcome.Terminated);
            t++;
        }
    }
}
