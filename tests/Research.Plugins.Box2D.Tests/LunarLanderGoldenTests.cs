using System.Text.Json;
using Research.Abstractions.Environments;
using Research.Plugins.Box2D.LunarLander;

namespace Research.Plugins.Box2D.Tests;

/// <summary>LunarLander against Gymnasium's own code on the same Box2D: terrain and forces from the seed, then every step bit for bit.</summary>
public sealed class LunarLanderGoldenTests
{
    public static TheoryData<int> Episodes() => GoldenFile.Indices("lunar_lander");

    internal static LunarLanderEnv Create(JsonElement kwargs)
    {
        var options = new LunarLanderOptions
        {
            Continuous = kwargs.TryGetProperty("continuous", out var c) && c.GetBoolean(),
            Gravity = kwargs.TryGetProperty("gravity", out var g) ? g.GetDouble() : -10.0,
            EnableWind = kwargs.TryGetProperty("enable_wind", out var w) && w.GetBoolean(),
            WindPower = kwargs.TryGetProperty("wind_power", out var wp) ? wp.GetDouble() : 15.0,
            TurbulencePower = kwargs.TryGetProperty("turbulence_power", out var tp) ? tp.GetDouble() : 1.5,
        };
        return new LunarLanderEnv(options);
    }

    [Theory]
    [MemberData(nameof(Episodes))]
    public void Episode_matches_Gymnasium_step_for_step(int index)
    {
        var episode = GoldenFile.Episode("lunar_lander", index);
        string what = episode.Describe();
        using var env = Create(episode.GetProperty("kwargs"));
        var obs = new float[8];
        env.Reset(obs, episode.GetProperty("seed").GetInt32());

        Assert.Equal(episode.GetProperty("smooth_y").Doubles()[..11], env.TerrainHeights.ToArray());
        Assert.Equal(episode.GetProperty("helipad_y").GetDouble(), LunarLanderEnv.HelipadY);
        if (env.Options.EnableWind)
            Assert.Equal((episode.GetProperty("wind_idx").GetInt64(), episode.GetProperty("torque_idx").GetInt64()),
                         env.WindIndices);
        Assert.True(episode.GetProperty("initial_obs").Floats().SequenceEqual(obs), $"{what}: initial observation");

        var action = new float[env.Options.Continuous ? 2 : 1];
        int t = 0;
        foreach (var step in episode.GetProperty("steps").EnumerateArray())
        {
            if (env.Options.Continuous) step.GetProperty("action").Floats().CopyTo(action, 0);
            else action[0] = step.GetProperty("action").GetInt32();
            var outcome = env.Step(action, obs);
            Assert.True(step.GetProperty("obs").Floats().SequenceEqual(obs),
                $"{what}, step {t}: observation [{string.Join(", ", obs)}], expected [{string.Join(", ", step.GetProperty("obs").Floats())}]");
            Assert.Equal(step.GetProperty("reward").GetDouble(), outcome.Reward);
            Assert.Equal(step.GetProperty("terminated").GetBoolean(), outcome.Terminated);
            Assert.False(outcome.Truncated);
            t++;
        }
    }
}
