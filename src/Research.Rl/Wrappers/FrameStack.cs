using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Rl.Wrappers;

/// <summary>
/// Observes the last <see cref="Count"/> observations stacked along a new first axis, oldest first
/// (Gymnasium's <c>FrameStackObservation</c> with padding by the reset observation). Box observations only.
/// </summary>
public sealed class FrameStack : EnvWrapper
{
    private readonly int _frameSize;
    private readonly float[] _frames;

    /// <summary>Stacks the last <paramref name="count"/> observations of <paramref name="inner"/>.</summary>
    public FrameStack(IEnv inner, int count) : base(inner)
    {
        var box = SpaceRequirements.RequireBox(inner.ObservationSpace, nameof(FrameStack), "observation");
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "FrameStack: the number of frames must be positive.");
        Count = count;
        _frameSize = box.FlatSize;
        _frames = new float[count * _frameSize];
        ObservationSpace = new Box(Repeat(box.Low, count), Repeat(box.High, count), [count, .. box.Shape], box.DType);
    }

    /// <summary>Number of stacked observations.</summary>
    public int Count { get; }

    public override Space ObservationSpace { get; }

    public override void Reset(Span<float> observation, int? seed = null)
    {
        var first = _frames.AsSpan(0, _frameSize);
        Inner.Reset(first, seed);
        for (int k = 1; k < Count; k++) first.CopyTo(_frames.AsSpan(k * _frameSize, _frameSize));
        _frames.CopyTo(observation);
    }

    public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        _frames.AsSpan(_frameSize).CopyTo(_frames);
        var outcome = Inner.Step(action, _frames.AsSpan((Count - 1) * _frameSize, _frameSize));
        _frames.CopyTo(observation);
        return outcome;
    }

    public override void WriteState(BinaryWriter writer)
    {
        foreach (float x in _frames) writer.Write(x);
        base.WriteState(writer);
    }

    public override void ReadState(BinaryReader reader)
    {
        for (int k = 0; k < _frames.Length; k++) _frames[k] = reader.ReadSingle();
        base.ReadState(reader);
    }

    private static float[] Repeat(float[] values, int count)
    {
        var repeated = new float[values.Length * count];
        for (int k = 0; k < count; k++) values.CopyTo(repeated, k * values.Length);
        return repeated;
    }
}
