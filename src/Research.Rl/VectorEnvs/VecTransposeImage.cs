using Research.Abstractions.Spaces;
using Research.Rl.Policies;

namespace Research.Rl.VectorEnvs;

/// <summary>
/// Reorders channel-last image observations <c>(H, W, C)</c> to channel-first <c>(C, H, W)</c> (Stable-Baselines' <c>VecTransposeImage</c>),
/// terminal observations included; in a DictSpace, every channel-last image key is transposed and the rest kept.
/// </summary>
/// <remarks>
/// The policies here read either layout (<see cref="ImageLayout"/>), so training does not need this wrapper; it gives observations
/// the layout SB3's networks see, e.g. to compare against SB3 or to feed a model trained on transposed images. A step allocates nothing.
/// </remarks>
public sealed class VecTransposeImage : VecEnvWrapper
{
    private readonly (int Offset, int Height, int Width, int Channels)[] _images;
    private readonly int _size;

    /// <summary>Transposes the images of <paramref name="inner"/>, taking ownership of it.</summary>
    public VecTransposeImage(IVectorEnv inner) : base(inner)
    {
        var space = inner.SingleObservationSpace;
        switch (space)
        {
            case Box box:
                if (!IsChannelLastImage(box))
                    throw new ArgumentException($"VecTransposeImage: observation space {space} is not supported; expected a channel-last image: a uint8 Box(0, 255) of shape (height, width, channels) whose channels are its smallest dimension.");
                _images = [Image(0, box)];
                SingleObservationSpace = Transposed(box);
                break;
            case DictSpace dict:
                _images = [.. dict.Spaces.Where(s => s.Value is Box b && IsChannelLastImage(b)).Select(s => Image(dict.OffsetOf(s.Key), (Box)s.Value))];
                SingleObservationSpace = new DictSpace(dict.Spaces.Select(s => new KeyValuePair<string, Space>(
                    s.Key, s.Value is Box b && IsChannelLastImage(b) ? Transposed(b) : s.Value)));
                break;
            default:
                throw new ArgumentException($"VecTransposeImage: observation space {space} is not supported; expected a channel-last image or a DictSpace holding some.");
        }
        _size = space.FlatSize;
        Observations = new float[inner.NumEnvs * _size];
        TerminalObservations = new float[inner.NumEnvs * _size];
    }

    public override Space SingleObservationSpace { get; }
    public override float[] Observations { get; }
    public override float[] TerminalObservations { get; }

    public override void Reset(int? seed = null)
    {
        Inner.Reset(seed);
        for (int i = 0; i < NumEnvs; i++) Transpose(Inner.Observations, Observations, i);
    }

    public override void Step(ReadOnlySpan<float> actions)
    {
        Inner.Step(actions);
        for (int i = 0; i < NumEnvs; i++)
        {
            Transpose(Inner.Observations, Observations, i);
            if (Inner.Terminated[i] || Inner.Truncated[i]) Transpose(Inner.TerminalObservations, TerminalObservations, i);
        }
    }

    private void Transpose(float[] source, float[] destination, int i)
    {
        var from = source.AsSpan(i * _size, _size);
        var to = destination.AsSpan(i * _size, _size);
        from.CopyTo(to);
        foreach (var (offset, height, width, channels) in _images)
        {
            int pixels = height * width;
            for (int p = 0; p < pixels; p++)
                for (int c = 0; c < channels; c++)
                    to[offset + c * pixels + p] = from[offset + p * channels + c];
        }
    }

    private static bool IsChannelLastImage(Box box) => box.Shape.Count == 3 && ImageLayout.Of(box) is { ChannelsLast: true };

    private static (int, int, int, int) Image(int offset, Box box) => (offset, box.Shape[0], box.Shape[1], box.Shape[2]);

    private static Box Transposed(Box box) => new(0, 255, [box.Shape[2], box.Shape[0], box.Shape[1]], box.DType);
}
