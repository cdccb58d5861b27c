using Research.Plugins.MuJoCo.Rendering;

namespace Research.Plugins.MuJoCo.Tests;

/// <summary>Frames from MuJoCo's own renderer on a surfaceless EGL context (Mesa's software OpenGL here; installed by .ci/setup.d/20-mujoco.sh).</summary>
public sealed class RenderingTests
{
    [Theory]
    [MemberData(nameof(MuJoCoEnvs.All), MemberType = typeof(MuJoCoEnvs))]
    public void Every_environment_renders_a_frame_with_its_scene_in_it(string id)
    {
        using var env = MuJoCoEnvs.Create(id);
        env.Reset(seed: 0);
        var first = env.Render();
        Assert.Equal((480, 480), (first.Width, first.Height));
        var colours = new HashSet<int>();
        for (int i = 0; i < first.Pixels.Length; i += 3) colours.Add(first.Pixels[i] << 16 | first.Pixels[i + 1] << 8 | first.Pixels[i + 2]);
        Assert.True(colours.Count > 50, $"{id}: the frame has only {colours.Count} colours");
        env.Step(new float[env.ActionSpace.FlatSize]);
        var second = env.Render();
        Assert.Equal(first.Pixels.Length, second.Pixels.Length);
    }

    [Fact]
    public void Frame_size_and_camera_follow_the_options_and_rows_run_top_to_bottom()
    {
        using var env = new HalfCheetahEnv(new HalfCheetahOptions { Width = 160, Height = 96 });
        env.Reset(seed: 0);
        var frame = env.Render();
        Assert.Equal((160, 96), (frame.Width, frame.Height));
        // The tracking camera looks level along the ground: the sky's smooth gradient in the top row, the chequered floor in the bottom row.
        int top = Distinct(frame, 0), bottom = Distinct(frame, frame.Height - 1);
        Assert.True(bottom > 2 * top, $"the top row has {top} colours and the bottom row {bottom}: the frame looks upside down");

        using var free = new HalfCheetahEnv(new HalfCheetahOptions { Width = 160, Height = 96, CameraId = -1 });
        free.Reset(seed: 0);
        Assert.NotEqual(frame.Pixels, free.Render().Pixels);
    }

    [Fact]
    public void Camera_options_are_checked_when_the_environment_is_made()
    {
        var both = Assert.Throws<ArgumentException>(() => new HopperEnv(new HopperOptions { CameraId = 0, CameraName = "track" }));
        Assert.Contains("cannot both be set", both.Message);
        var outside = Assert.Throws<ArgumentException>(() => new HopperEnv(new HopperOptions { CameraId = 5 }));
        Assert.Contains("camera_id 5", outside.Message);
        var unknown = Assert.Throws<ArgumentException>(() => new HopperEnv(new HopperOptions { CameraName = "side" }));
        Assert.Contains("'side'", unknown.Message);
        using var named = new HopperEnv(new HopperOptions { CameraName = "track" });
    }

    [Fact]
    public void Rendering_before_reset_throws()
    {
        using var env = new ReacherEnv();
        var error = Assert.Throws<InvalidOperationException>(() => env.Render());
        Assert.Contains("before Reset", error.Message);
    }

    [Theory]
    [InlineData("4.5 (Compatibility Profile) Mesa 22.3.6", true)]
    [InlineData("1.5", true)]
    [InlineData("2.1 Mesa 10.0", true)]
    [InlineData("1.4 Mesa", false)]
    [InlineData("", false)]
    [InlineData("OpenGL ES 3.2 Mesa", false)]
    public void Contexts_older_than_OpenGL_1_5_are_refused_before_MuJoCo_sees_them(string version, bool supported) =>
        Assert.Equal(supported, EglContext.SupportsMuJoCo(version));

    [Fact]
    public void The_median_is_NumPy_s()
    {
        Assert.Equal(2.0, MuJoCoRendererMedian([3, 1, 2]));
        Assert.Equal(2.5, MuJoCoRendererMedian([4, 1, 3, 2]));
    }

    private static double MuJoCoRendererMedian(double[] values) => MuJoCoRenderer.Median(values);

    private static int Distinct(Research.Abstractions.Environments.RgbFrame frame, int row)
    {
        var colours = new HashSet<int>();
        for (int x = 0; x < frame.Width; x++)
        {
            int i = (row * frame.Width + x) * 3;
            colours.Add(frame.Pixels[i] << 16 | frame.Pixels[i + 1] << 8 | frame.Pixels[i + 2]);
        }
        return colours.Count;
    }
}
