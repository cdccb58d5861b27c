using Research.Abstractions.Environments;
using Research.Plugins.Box2D.CarRacing;
using Research.Plugins.Box2D.LunarLander;
using Research.Rl.Rollouts;

namespace Research.Plugins.Box2D.Tests;

/// <summary>Frames have Gymnasium's sizes, colours and layout.</summary>
public sealed class RenderingTests
{
    private static (byte R, byte G, byte B) Pixel(RgbFrame frame, int x, int y)
    {
        int offset = (y * frame.Width + x) * 3;
        return (frame.Pixels[offset], frame.Pixels[offset + 1], frame.Pixels[offset + 2]);
    }

    [Theory]
    [InlineData("LunarLander", 600, 400)]
    [InlineData("BipedalWalkerHardcore", 600, 400)]
    [InlineData("CarRacing", 600, 400)]
    public void Frames_have_Gymnasium_s_size_and_stay_constant(string name, int width, int height)
    {
        using var env = Envs.Create(name);
        var obs = new float[env.ObservationSpace.FlatSize];
        var action = new float[env.ActionSpace.FlatSize];
        env.Reset(obs, seed: 1);
        var random = new Random(0);
        for (int t = 0; t < 30; t++)
        {
            var frame = env.Render();
            Assert.Equal((width, height), (frame.Width, frame.Height));
            Envs.RandomAction(env, random, action);
            if (env.Step(action, obs).Done) break;
        }
    }

    [Fact]
    public void LunarLander_draws_a_black_sky_white_ground_and_yellow_flags_at_the_helipad()
    {
        using var env = new LunarLanderEnv();
        env.Reset(new float[8], seed: 0);
        var frame = env.Render();
        Assert.Equal((0, 0, 0), Pixel(frame, 5, 5));
        Assert.Equal((255, 255, 255), Pixel(frame, 5, 395));
        // Flags at x = 8·30 and 12·30, 50 px above the helipad (y = 100 px from the bottom), pointing right.
        Assert.Equal((204, 204, 0), Pixel(frame, 8 * 30 + 5, 400 - (100 + 45)));
        Assert.Equal((204, 204, 0), Pixel(frame, 12 * 30 + 5, 400 - (100 + 45)));
        Assert.Equal((255, 255, 255), Pixel(frame, 8 * 30, 400 - (100 + 20)));
        // The lander, at the top centre, in its colour.
        Assert.Equal((128, 102, 230), Pixel(frame, 300, 2));
    }

    [Fact]
    public void LunarLander_exhaust_particles_appear_once_rendering_has_started()
    {
        using var env = new LunarLanderEnv();
        var obs = new float[8];
        env.Reset(obs, seed: 0);
        int Exhaust(RgbFrame frame)
        {
            int count = 0;
            for (int i = 0; i < frame.Pixels.Length; i += 3)
                if (frame.Pixels[i] > 100 && frame.Pixels[i] > frame.Pixels[i + 1] + 40 && frame.Pixels[i + 2] == frame.Pixels[i + 1]) count++;
            return count;
        }
        Assert.Equal(0, Exhaust(env.Render()));
        for (int t = 0; t < 3; t++) env.Step([2f], obs);
        Assert.True(Exhaust(env.Render()) > 0);
    }

    [Fact]
    public void BipedalWalker_draws_sky_grass_and_the_walker()
    {
        using var env = Envs.Create("BipedalWalker");
        env.Reset(new float[24], seed: 0);
        var frame = env.Render();
        Assert.Equal((215, 215, 255), Pixel(frame, 590, 200));
        Assert.Equal((102, 153, 76), Pixel(frame, 300, 395));
        bool hull = false;
        for (int i = 0; i < frame.Pixels.Length; i += 3)
            hull |= frame.Pixels[i] == 127 && frame.Pixels[i + 1] == 51 && frame.Pixels[i + 2] == 229;
        Assert.True(hull);
    }

    [Fact]
    public void CarRacing_observes_the_car_from_behind_with_the_indicator_bar()
    {
        using var env = new CarRacingEnv();
        var obs = new float[96 * 96 * 3];
        env.Reset(obs, seed: 0);
        for (int t = 0; t < 60; t++) env.Step([0f, 0.2f, 0f], obs);
        (float, float, float) At(int x, int y) => (obs[(y * 96 + x) * 3], obs[(y * 96 + x) * 3 + 1], obs[(y * 96 + x) * 3 + 2]);
        Assert.All(obs, v => Assert.True(v >= 0 && v <= 255 && v == MathF.Round(v)));
        Assert.Equal((0f, 0f, 0f), At(95, 95));               // the bar is black where no indicator is drawn
        Assert.Equal((204f, 0f, 0f), At(48, 72));             // the red hull a quarter up from the bottom of the window
        Assert.Contains(At(48, 50), new[] { (102f, 102f, 102f), (104f, 104f, 104f), (107f, 107f, 107f) }); // road ahead: grey + 0, 2.55 or 5.1 by tile
    }

    [Fact]
    public void CarRacing_colours_are_random_with_domain_randomize_and_fixed_otherwise()
    {
        using var plain = new CarRacingEnv();
        plain.Reset(new float[96 * 96 * 3], seed: 0);
        Assert.Equal([102.0, 204, 102], plain.BackgroundColor);
        using var random = new CarRacingEnv(new CarRacingOptions { DomainRandomize = true });
        random.Reset(new float[96 * 96 * 3], seed: 0);
        var first = random.BackgroundColor;
        random.Reset(new float[96 * 96 * 3]);
        Assert.NotEqual(first, random.BackgroundColor);
        Assert.Equal(20.0, random.GrassColor.Zip(random.BackgroundColor, (g, b) => g - b).Sum(), 9);
    }

    [Fact]
    public void The_render_command_s_recorder_writes_a_gif_of_every_env()
    {
        foreach (var name in new[] { "LunarLander", "BipedalWalker", "CarRacing" })
        {
            using var env = Envs.CreateLimited(name);
            using var gif = new MemoryStream();
            GifRecorder.Record(env, 20, 0, ActionPolicies.Random(env, 0), gif, 33);
            Assert.True(gif.Length > 1000, name);
            Assert.Equal("GIF89a"u8.ToArray(), gif.ToArray()[..6]);
        }
    }
}
