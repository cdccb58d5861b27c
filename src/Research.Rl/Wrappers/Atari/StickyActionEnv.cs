using Research.Abstractions.Environments;
using Research.Tensors;

namespace Research.Rl.Wrappers.Atari;

/// <summary>
/// With probability <c>p</c>, repeats the previous action instead of the new one (Stable-Baselines' <c>StickyActionEnv</c>,
/// Machado et al. 2018); the previous action is NOOP after a reset.
/// </summary>
/// <remarks>Departure: draws from its own generator (seeded by <c>Reset(seed)</c>) rather than the emulator's <c>np_random</c>.</remarks>
public sealed class StickyActionEnv : EnvWrapper
{
    private readonly Generator _random = new((ulong)Random.Shared.NextInt64());
    private readonly float[] _sticky;

    /// <summary>Wraps an Atari env whose action 0 is <c>NOOP</c>.</summary>
    public StickyActionEnv(IEnv inner, double actionRepeatProbability) : base(inner)
    {
        if (!(actionRepeatProbability is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(actionRepeatProbability), actionRepeatProbability, "StickyActionEnv: the repeat probability must be in [0, 1].");
        var meanings = AtariEnvs.Unwrapped(inner, nameof(StickyActionEnv)).ActionMeanings;
        if (meanings.Count == 0 || meanings[0] != "NOOP")
            throw new ArgumentException($"StickyActionEnv: action 0 must be NOOP, but the action meanings are [{string.Join(", ", meanings)}].");
        ActionRepeatProbability = actionRepeatProbability;
        _sticky = new float[inner.ActionSpace.FlatSize];
    }

    /// <summary>The chance of repeating the previous action.</summary>
    public double ActionRepeatProbability { get; }

    public override void Reset(Span<float> observation, int? seed = null)
    {
        if (seed is { } s) _random.Reseed((ulong)s);
        Array.Clear(_sticky);
        Inner.Reset(observation, seed);
    }

    public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (_random.NextDouble() >= ActionRepeatProbability) action.CopyTo(_sticky);
        return Inner.Step(_sticky, observation);
    }

    public override void WriteState(BinaryWriter writer)
    {
        AtariState.Write(writer, _random);
        foreach (float a in _sticky) writer.Write(a);
        base.WriteState(writer);
    }

    public override void ReadState(BinaryReader reader)
    {
        AtariState.Read(reader, _random);
        for (int k = 0; k < _sticky.Length; k++) _sticky[k] = reader.ReadSingle();
        base.ReadState(reader);
    }
}
