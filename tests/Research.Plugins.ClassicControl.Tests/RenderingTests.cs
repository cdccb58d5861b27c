using Research.Abstractions.Environments;
using Research.Abstractions.Imaging;
using Research.Rl.Rendering;
using Research.Plugins.ClassicControl.Tests.Imaging;

namespace Research.Plugins.ClassicControl.Tests;

/// <summary>Frames have Gymnasium's sizes, change with the state, and survive PNG and GIF encoding.</summary>
public sealed class RenderingTests
{
    [Theory]
    [InlineData("CartPole-v1", 600, 400)]
    [InlineData("MountainCar-v0", 600, 400)]
    [InlineData("MountainCarContinuous-v0", 600, 400)]
    [InlineData("Pendulum-v1", 500, 500)]
    [InlineData("Acrobot-v1", 500, 500)]
    public void Frames_have_Gymnasium_size_and_follow_the_state(string id, int width, int height)
    {
        using var env = EnvFactory.CreateRaw(id);
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, 3);
        var first = env.Render();
        Assert.Equal((width, height), (first.Width, first.Height));
        Assert.Contains(first.Pixels, b => b != 255);
        Assert.Equal(first.Pixels, env.Render().Pixels);

        var action = new float[env.ActionSpace.FlatSize];
        env.ActionSpace.Seed(5);
        for (int i = 0; i < 15; i++)
        {
            env.ActionSpace.Sample(action);
            if (env.Step(action, observation).Terminated) break;
        }
        Assert.NotEqual(first.Pixels, env.Render().Pixels);
    }

    [Fact]
    public void CartPole_draws_the_cart_where_the_state_says()
    {
        using var env = new CartPoleEnv();
        env.Reset(new float[4], 0);
        var frame = env.Render();
        // The cart is black, centred at x = 300 + 125·x_cart and 100 px above the bottom edge (Gymnasium's layout); 90 is below the pole.
        int row = frame.Height - 1 - 90, column = 300;
        Assert.Equal(new byte[] { 0, 0, 0 }, frame.Pixels.AsSpan((row * frame.Width + column) * 3, 3).ToArray());
        Assert.Equal(new byte[] { 255, 255, 255 }, frame.Pixels.AsSpan((row * frame.Width + 10) * 3, 3).ToArray());
    }

    [Fact]
    public void Render_before_reset_throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new AcrobotEnv().Render());
        Assert.Contains("Acrobot-v1", error.Message);
    }

    [Fact]
    public void Png_of_a_frame_decodes_to_the_same_pixels()
    {
        using var env = new PendulumEnv();
        env.Reset(new float[3], 1);
        env.Step([1.5f], new float[3]);
        var frame = env.Render();
        var decoded = PngDecoder.Decode(PngEncoder.Encode(frame));
        Assert.Equal((frame.Width, frame.Height), (decoded.Width, decoded.Height));
        Assert.Equal(frame.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Gif_of_rendered_frames_decodes_losslessly_with_delay_and_looping()
    {
        using var env = new CartPoleEnv();
        var observation = new float[4];
        env.Reset(observation, 0);
        var frames = new List<RgbFrame> { env.Render() };
        for (int i = 0; i < 5; i++)
        {
            env.Step([i % 2], observation);
            frames.Add(env.Render());
        }
        var gif = GifDecoder.Decode(GifEncoder.Encode(frames, 40));
        Assert.Equal((600, 400), (gif.Width, gif.Height));
        Assert.Equal(0, gif.LoopCount);
        Assert.Equal(frames.Count, gif.Frames.Count);
        Assert.All(gif.DelaysCentiseconds, d => Assert.Equal(4, d));
        for (int i = 0; i < frames.Count; i++) Assert.Equal(frames[i].Pixels, gif.Frames[i].Pixels);
    }

    [Fact]
    public void Gif_of_a_many_coloured_frame_uses_the_colour_cube()
    {
        var random = new Random(7);
        var pixels = new byte[64 * 48 * 3];
        random.NextBytes(pixels);
        var frame = new RgbFrame(64, 48, pixels);
        var decoded = GifDecoder.Decode(GifEncoder.Encode([frame], 100)).Frames.Single();
        for (int i = 0; i < pixels.Length; i++)
            Assert.InRange(Math.Abs(decoded.Pixels[i] - pixels[i]), 0, 26);
    }

    [Fact]
    public void Gif_encoder_rejects_frames_of_another_size()
    {
        using var encoder = new GifEncoder(new MemoryStream(), 10, 10, 20);
        var error = Assert.Throws<ArgumentException>(() => encoder.AddFrame(new RgbFrame(11, 10)));
        Assert.Contains("expected 10x10", error.Message);
    }

    [Fact]
    public void Canvas_fills_polygons_and_circles_by_pixel_centres()
    {
        var canvas = new Canvas(10, 10);
        canvas.FillPolygon([(1, 1), (1, 4), (4, 4), (4, 1)], Rgb.Black);
        canvas.FillCircle(7, 7, 1, new Rgb(255, 0, 0));
        var frame = canvas.ToFrame();
        int Dark() => Enumerable.Range(0, 100).Count(p => frame.Pixels[3 * p] == 0);
        Assert.Equal(9, Dark());
        Assert.Equal(0, frame.Pixels[((9 - 1) * 10 + 1) * 3]); // y = 1 is the second row from the bottom
        Assert.Equal(new byte[] { 255, 0, 0 }, frame.Pixels.AsSpan(((9 - 6) * 10 + 6) * 3, 3).ToArray());
    }
}
