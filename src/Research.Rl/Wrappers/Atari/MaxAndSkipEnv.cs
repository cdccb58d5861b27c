using Research.Abstractions.Environments;

namespace Research.Rl.Wrappers.Atari;

/// <summary>
/// Repeats each action <c>skip</c> times, sums the rewards, and observes the pixel-wise maximum of the last two frames
/// (Stable-Baselines' <c>MaxAndSkipEnv</c>; Atari sprites flicker between frames).
/// </summary>
/// <remarks>
/// As SB3: the repeat stops at the end of an episode; the two-frame buffer lives across steps and resets, so an episode that
/// ends before the second-to-last repeat returns the maximum with frames of an earlier step (SB3: "the observation on the
/// done frame doesn't matter"); a reset returns the inner observation unchanged.
/// </remarks>
public sealed class MaxAndSkipEnv : EnvWrapper
{
    private readonly float[] _secondLast, _last, _frame;

    /// <summary>Wraps <paramref name="inner"/>, repeating each action <paramref name="skip"/> times.</summary>
    public MaxAndSkipEnv(IEnv inner, int skip = 4) : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(skip);
        Skip = skip;
        int size = inner.ObservationSpace.FlatSize;
        (_secondLast, _last, _frame) = (new float[size], new float[size], new float[size]);
    }

    /// <summary>Frames per step.</summary>
    public int Skip { get; }

    public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        double total = 0;
        bool terminated = false, truncated = false;
        for (int i = 0; i < Skip; i++)
        {
            var outcome = Inner.Step(action, _frame);
            (terminated, truncated) = (outcome.Terminated, outcome.Truncated);
            if (i == Skip - 2) _frame.CopyTo(_secondLast, 0);
            if (i == Skip - 1) _frame.CopyTo(_last, 0);
            total += outcome.Reward;
            if (outcome.Done) break;
        }
        for (int k = 0; k < observation.Length; k++) observation[k] = MathF.Max(_secondLast[k], _last[k]);
        return new StepOutcome(total, terminated, truncated);
    }

    public override void WriteState(BinaryWriter writer)
    {
        foreach (float x in _secondLast) writer.Write(x);
        foreach (float x in _last) writer.Write(x);
        base.WriteState(writer);
    }

    public override void ReadState(BinaryReader reader)
    {
        for (int k = 0; k < _secondLast.Length; k++) _secondLast[k] = reader.ReadSingle();
        for (int k = 0; k < _last.Length; k++) _last[k] = reader.ReadSingle();
        base.ReadState(reader);
    }
}
