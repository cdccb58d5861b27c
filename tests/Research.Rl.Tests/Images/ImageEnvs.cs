using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.Tests.VectorEnvs;

namespace Research.Rl.Tests.Images;

/// <summary>The deterministic 8-bit test images of tools/golden/make_image_golden.py (same formulas).</summary>
public static class TestImages
{
    public static float[] Pattern(int height, int width, int channels, string kind)
    {
        var image = new float[height * width * channels];
        for (int i = 0; i < image.Length; i++)
        {
            int y = i / (width * channels), x = i % (width * channels) / channels, c = i % channels;
            ulong v = kind switch
            {
                "noise" => ((ulong)i * 2654435761UL % (1UL << 32)) >> 13,
                "blocks" => (ulong)(y / 7 * 37 + x / 5 * 91 + c * 53),
                _ => (ulong)(y * 3 + x * 2 + c * 40),
            };
            image[i] = v % 256;
        }
        return image;
    }
}

/// <summary>
/// An image environment: uint8 frames of <c>shape</c> whose pixels encode the episode and step (pixel k of step t in episode e is
/// <c>(e·50 + t·7 + k) mod 256</c>), Discrete(n) actions, reward = action, episodes of <c>episodeLength</c> steps.
/// </summary>
public sealed class PixelEnv(int[] shape, int episodeLength = 6, int actions = 4) : TestEnv
{
    private int _episode = -1, _step;

    public override Space ObservationSpace { get; } = new Box(0, 255, shape, "uint8");
    public override Space ActionSpace { get; } = new Discrete(actions);

    /// <summary>The frame this env shows at step <paramref name="step"/> of episode <paramref name="episode"/>.</summary>
    public static float Pixel(int episode, int step, int k) => (episode * 50 + step * 7 + k) % 256;

    protected override void OnReset(Span<float> observation)
    {
        _episode++;
        _step = 0;
        Draw(observation);
    }

    protected override StepOutcome OnStep(ReadOnlySpan<float> action, Span<float> observation)
    {
        _step++;
        Draw(observation);
        return new StepOutcome(action[0], _step >= episodeLength, false);
    }

    private void Draw(Span<float> observation)
    {
        for (int k = 0; k < observation.Length; k++) observation[k] = Pixel(_episode, _step, k);
    }

    public override void WriteState(BinaryWriter writer)
    {
        writer.Write(_episode);
        writer.Write(_step);
        base.WriteState(writer);
    }

    public override void ReadState(BinaryReader reader)
    {
        _episode = reader.ReadInt32();
        _step = reader.ReadInt32();
        base.ReadState(reader);
    }
}
