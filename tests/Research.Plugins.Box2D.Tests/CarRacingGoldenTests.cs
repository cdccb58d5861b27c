using Research.Plugins.Box2D.CarRacing;

namespace Research.Plugins.Box2D.Tests;

/// <summary>CarRacing against Gymnasium's own code on the same Box2D: colours and track from the seed, then the car's state,
/// rewards and flags at every step bit for bit (Gymnasium's pixels are not compared: its renderer is pygame's).</summary>
public sealed class CarRacingGoldenTests
{
    public static TheoryData<int> Episodes() => GoldenFile.Indices("car_racing");

    [Theory]
    [MemberData(nameof(Episodes))]
    public void Episode_matches_Gymnasium_step_for_step(int index)
    {
        var episode = GoldenFile.Episode("car_racing", index);
        string what = episode.Describe();
        var kwargs = episode.GetProperty("kwargs");
        var options = new CarRacingOptions
        {
            Continuous = !kwargs.TryGetProperty("continuous", out var c) || c.GetBoolean(),
            DomainRandomize = kwargs.TryGetProperty("domain_randomize", out var d) && d.GetBoolean(),
            LapCompletePercent = kwargs.TryGetProperty("lap_complete_percent", out var l) ? l.GetDouble() : 0.95,
        };
        using var env = new CarRacingEnv(options);
        var obs = new float[96 * 96 * 3];
        env.Reset(obs, episode.GetProperty("seed").GetInt32());

        Assert.Equal(episode.GetProperty("road_color").Doubles(), env.RoadColor);
        Assert.Equal(episode.GetProperty("bg_color").Doubles(), env.BackgroundColor);
        Assert.Equal(episode.GetProperty("grass_color").Doubles(), env.GrassColor);
        var track = episode.GetProperty("track").EnumerateArray().Select(p => p.Doubles()).ToArray();
        Assert.Equal(track.Length, env.Track.Count);
        for (int i = 0; i < track.Length; i++)
            Assert.Equal(track[i], new[] { env.Track[i].Alpha, env.Track[i].Beta, env.Track[i].X, env.Track[i].Y });
        var roadPoly = episode.GetProperty("road_poly").EnumerateArray().ToArray();
        var polygons = env.RoadPolygons.ToArray();
        Assert.Equal(roadPoly.Length, polygons.Length);
        for (int i = 0; i < roadPoly.Length; i++)
        {
            var (polygon, color) = polygons[i];
            var corners = roadPoly[i].GetProperty("poly").EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToArray();
            Assert.Equal(corners, new[] { polygon.A, polygon.B, polygon.C, polygon.D });
            Assert.Equal(roadPoly[i].GetProperty("color").Doubles(), color);
        }

        var action = new float[options.Continuous ? 3 : 1];
        int t = 0;
        foreach (var step in episode.GetProperty("steps").EnumerateArray())
        {
            if (options.Continuous) step.GetProperty("action").Floats().CopyTo(action, 0);
            else action[0] = step.GetProperty("action").GetInt32();
            var outcome = env.Step(action, obs);
            var (hull, omega, joint) = env.CarState();
            float[] hullState = [hull.X, hull.Y, hull.Angle, hull.VelocityX, hull.VelocityY, hull.AngularVelocity];
            Assert.True(step.GetProperty("hull").Floats().SequenceEqual(hullState),
                $"{what}, step {t}: hull [{string.Join(", ", hullState)}], expected [{string.Join(", ", step.GetProperty("hull").Floats())}]");
            Assert.Equal(step.GetProperty("wheel_omega").Doubles(), omega);
            Assert.Equal(step.GetProperty("wheel_joint").Doubles(), joint);
            Assert.Equal(step.GetProperty("reward").GetDouble(), outcome.Reward);
            Assert.Equal(step.GetProperty("terminated").GetBoolean(), outcome.Terminated);
            Assert.Equal(step.GetProperty("truncated").GetBoolean(), outcome.Truncated);
            Assert.Equal(step.GetProperty("tiles_visited").GetInt32(), env.TilesVisited);
            t++;
        }
    }
}
