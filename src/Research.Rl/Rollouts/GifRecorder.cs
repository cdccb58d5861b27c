using Research.Abstractions.Environments;
using Research.Abstractions.Imaging;
using Research.Storage;

namespace Research.Rl.Rollouts;

/// <summary>Renders an environment for a number of steps into an animated GIF (the first frame after reset, then one per step).</summary>
public static class GifRecorder
{
    /// <summary>Resets with <paramref name="seed"/>, steps <paramref name="steps"/> times with <paramref name="policy"/> (resetting, unseeded, when an episode ends) and writes the frames to <paramref name="output"/>.</summary>
    /// <returns>The number of frames written (<paramref name="steps"/> + 1).</returns>
    public static int Record(IEnv env, int steps, int? seed, ActionPolicy policy, Stream output, int frameDelayMilliseconds = 33)
    {
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "GifRecorder: steps cannot be negative.");
        var observation = new float[env.ObservationSpace.FlatSize];
        var action = new float[env.ActionSpace.FlatSize];
        env.Reset(observation, seed);
        var frame = env.Render();
        using var gif = new GifEncoder(output, frame.Width, frame.Height, frameDelayMilliseconds, leaveOpen: true);
        gif.AddFrame(frame);
        for (int t = 0; t < steps; t++)
        {
            policy(observation, action);
            if (env.Step(action, observation).Done) env.Reset(observation);
            gif.AddFrame(env.Render());
        }
        return gif.FrameCount;
    }

    /// <summary>Records to a file, complete-or-absent (<see cref="AtomicFile"/>), so a partial GIF never appears under <paramref name="path"/>.</summary>
    public static int Record(IEnv env, int steps, int? seed, ActionPolicy policy, string path, int frameDelayMilliseconds = 33)
    {
        int frames = 0;
        AtomicFile.Write(path, file => frames = Record(env, steps, seed, policy, file, frameDelayMilliseconds));
        return frames;
    }
}
