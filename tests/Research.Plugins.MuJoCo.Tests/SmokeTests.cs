using Research.Abstractions.Environments;
using Research.Plugins.MuJoCo;

namespace Research.Plugins.MuJoCo.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void HalfCheetah_steps_and_renders()
    {
        using var env = new HalfCheetahEnv();
        var (obs, _) = env.Reset(seed: 0);
        Console.WriteLine(string.Join(", ", obs));
        var (next, reward, terminated, truncated, info) = env.Step(new float[6] { 0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f });
        Console.WriteLine($"{reward:R} {info["x_velocity"]} {string.Join(", ", next)}");
        var frame = env.Render();
        Console.WriteLine($"{frame.Width}x{frame.Height} distinct {frame.Pixels.Distinct().Count()}");
    }
}
