using Research.Abstractions.Spaces;
using Research.Rl.Policies;

namespace Research.Rl.VectorEnvs;

/// <summary>Which axis <see cref="VecFrameStack"/> stacks frames along.</summary>
public enum StackAxis
{
    /// <summary>Stable-Baselines' default: the first axis of channel-first images, the last axis of everything else.</summary>
    Auto,

    /// <summary>The first axis (SB3's <c>channels_order="first"</c>).</summary>
    First,

    /// <summary>The last axis (SB3's <c>channels_order="last"</c>).</summary>
    Last,
}

/// <summary>
/// Stacks each environment's last <see cref="StackSize"/> observations along an existing axis (Stable-Baselines' <c>VecFrameStack</c>):
/// an <c>(H, W, C)</c> image becomes <c>(H, W, k·C)</c>, a channel-first <c>(C, H, W)</c> one <c>(k·C, H, W)</c>, a vector
/// <c>(n,)</c> becomes <c>(k·n,)</c>; a DictSpace of Boxes is stacked key by key. Oldest frame first.
/// </summary>
/// <remarks>
/// As SB3: a reset fills the stack with zeros and the first observation last; when an episode ends, its terminal observation
/// becomes the previous k − 1 frames followed by the final one, and the new episode starts from zeros again. Departure: the
/// stacked space's bounds are the frame bounds tiled in stacking order (SB3 repeats each bound element k times with
/// <c>np.repeat</c>, which mislabels non-uniform bounds); for uniform bounds, as images have, the two agree.
/// A step allocates nothing.
/// </remarks>
public sealed class VecFrameStack : VecEnvWrapper
{
    private readonly Segment[] _segments;
    private readonly int _frameSize, _stackedSize;

    /// <summary>Stacks the last <paramref name="stackSize"/> observations of <paramref name="inner"/>, taking ownership of it.</summary>
    public VecFrameStack(IVectorEnv inner, int stackSize, StackAxis axis = StackAxis.Auto) : base(inner)
    {
        if (stackSize <= 0) throw new ArgumentOutOfRangeException(nameof(stackSize), stackSize, "VecFrameStack: n_stack must be positive.");
        StackSize = stackSize;
        var space = inner.SingleObservationSpace;
        (_segments, SingleObservationSpace) = space switch
        {
            Box box => StackBox(box, axis, stackSize),
            DictSpace dict when dict.Spaces.All(s => s.Value is Box) => StackDict(dict, axis, stackSize),
            _ => throw new ArgumentException($"VecFrameStack: observation space {space} is not supported; expected a Box or a DictSpace of Boxes."),
        };
        _frameSize = space.FlatSize;
        _stackedSize = SingleObservationSpace.FlatSize;
        Observations = new float[inner.NumEnvs * _stackedSize];
        TerminalObservations = new float[inner.NumEnvs * _stackedSize];
    }

    /// <summary>Frames per observation (SB3's <c>n_stack</c>).</summary>
    public int StackSize { get; }

    public override Space SingleObservationSpace { get; }
    public override float[] Observations { get; }
    public override float[] TerminalObservations { get; }

    public override void Reset(int? seed = null)
    {
        Inner.Reset(seed);
        Array.Clear(Observations);
        for (int i = 0; i < NumEnvs; i++) Push(i);
    }

    public override void Step(ReadOnlySpan<float> actions)
    {
        Inner.Step(actions);
        for (int i = 0; i < NumEnvs; i++)
        {
            var stack = Row(Observations, i, _stackedSize);
            if (Inner.Terminated[i] || Inner.Truncated[i])
            {
                var terminal = Row(TerminalObservations, i, _stackedSize);
                var final = Row(Inner.TerminalObservations, i, _frameSize);
                foreach (var s in _segments)
                    for (int o = 0; o < s.Outer; o++)
                    {
                        var block = s.Block(stack, o);
                        var target = s.Block(terminal, o);
                        block[s.Inner..].CopyTo(target);
                        s.Frame(final, o).CopyTo(target[^s.Inner..]);
                    }
                stack.Clear();
            }
            Push(i);
        }
    }

    // Drops each block's oldest frame and appends env i's current inner observation.
    private void Push(int i)
    {
        var stack = Row(Observations, i, _stackedSize);
        var frame = Row(Inner.Observations, i, _frameSize);
        foreach (var s in _segments)
            for (int o = 0; o < s.Outer; o++)
            {
                var block = s.Block(stack, o);
                block[s.Inner..].CopyTo(block);
                s.Frame(frame, o).CopyTo(block[^s.Inner..]);
            }
    }

    private static Span<float> Row(float[] buffer, int i, int size) => buffer.AsSpan(i * size, size);

    public override void WriteState(BinaryWriter writer)
    {
        writer.Write(Observations.Length);
        foreach (float x in Observations) writer.Write(x);
        base.WriteState(writer);
    }

    public override void ReadState(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        if (length != Observations.Length)
            throw new InvalidDataException($"VecFrameStack: the state holds {length} stacked values, but this one has {Observations.Length}.");
        for (int k = 0; k < length; k++) Observations[k] = reader.ReadSingle();
        base.ReadState(reader);
    }

    private static (Segment[], Space) StackBox(Box box, StackAxis axis, int k)
    {
        var (segments, stacked) = Stack([box], axis, k);
        return (segments, stacked[0]);
    }

    private static (Segment[], Space) StackDict(DictSpace dict, StackAxis axis, int k)
    {
        var (segments, stacked) = Stack(dict.Spaces.Select(s => (Box)s.Value).ToArray(), axis, k);
        return (segments, new DictSpace(dict.Spaces.Select((s, i) => new KeyValuePair<string, Space>(s.Key, stacked[i]))));
    }

    private static (Segment[], Box[]) Stack(Box[] boxes, StackAxis axis, int k)
    {
        var segments = new Segment[boxes.Length];
        var stacked = new Box[boxes.Length];
        int input = 0, output = 0;
        for (int b = 0; b < boxes.Length; b++)
        {
            var box = boxes[b];
            var shape = box.Shape.ToArray();
            if (shape.Length == 0) shape = [1];
            bool first = axis == StackAxis.First || (axis == StackAxis.Auto && IsChannelFirstImage(box));
            int inner = first ? box.FlatSize : shape[^1];
            var segment = new Segment(input, output, box.FlatSize / inner, inner, k);
            var stackedShape = (int[])shape.Clone();
            if (first) stackedShape[0] *= k;
            else stackedShape[^1] *= k;
            var low = new float[box.FlatSize * k];
            var high = new float[box.FlatSize * k];
            for (int o = 0; o < segment.Outer; o++)
                for (int f = 0; f < k; f++)
                {
                    box.Low.AsSpan(o * inner, inner).CopyTo(low.AsSpan((o * k + f) * inner));
                    box.High.AsSpan(o * inner, inner).CopyTo(high.AsSpan((o * k + f) * inner));
                }
            stacked[b] = new Box(low, high, stackedShape, box.DType);
            segments[b] = segment;
            input += box.FlatSize;
            output += box.FlatSize * k;
        }
        return (segments, stacked);
    }

    // SB3 stacks on the first axis only for images it considers channel-first.
    private static bool IsChannelFirstImage(Box box) =>
        box.Shape.Count == 3 && ImageLayout.Of(box) is { ChannelsLast: false };

    // One Box of the observation: Outer runs of Inner values, each growing to k·Inner values when stacked.
    private readonly record struct Segment(int InputOffset, int OutputOffset, int Outer, int Inner, int K)
    {
        public Span<float> Block(Span<float> stacked, int o) => stacked.Slice(OutputOffset + o * K * Inner, K * Inner);
        public ReadOnlySpan<float> Frame(ReadOnlySpan<float> frame, int o) => frame.Slice(InputOffset + o * Inner, Inner);
    }
}
