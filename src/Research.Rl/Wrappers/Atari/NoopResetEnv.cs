using Research.Abstractions.Environments;
using Research.Tensors;

namespace Research.Rl.Wrappers.Atari;

/// <summary>
/// Starts each episode with a random number (1 … <c>noopMax</c>) of no-op actions (action 0), restarting if they end it
/// (Stable-Baselines' <c>NoopResetEnv</c>).
/// </summary>
/// <remarks>
/// Departure: SB3 draws the count from the emulator's own <c>np_random</c>; this wrapper has its own generator, seeded by
/// <c>Reset(seed)</c> (and from OS entropy before a first unseeded reset) and saved in its state, so the counts are as random
/// but not SB3's numbers.
/// </remarks>
public sealed class NoopResetEnv : EnvWrapper
{
    private readonly Generator _random = new((ulong)Random.Shared.NextInt64());
    private readonly float[] _noop;

    /// <summary>Wraps an Atari env whose action 0 is <c>NOOP</c>.</summary>
    public NoopResetEnv(IEnv inner, int noopMax = 30) : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(noopMax);
        var meanings = AtariEnvs.Unwrapped(inner, nameof(NoopResetEnv)).ActionMeanings;
        if (meanings.Count == 0 || meanings[0] != "NOOP")
            throw new ArgumentException($"NoopResetEnv: action 0 must be NOOP, but the action meanings are [{string.Join(", ", meanings)}].");
        NoopMax = noopMax;
        _noop = new float[inner.ActionSpace.FlatSize];
    }

    /// <summary>The most no-ops a reset takes.</summary>
    public int NoopMax { get; }

    /// <summary>When set, every reset takes exactly this many no-ops (SB3's <c>override_num_noops</c>).</summary>
    public int? OverrideNoops { get; set; }

    public override void Reset(Span<float> observation, int? seed = null)
    {
        if (seed is { } s) _random.Reseed((ulong)s);
        Inner.Reset(observation, seed);
        int noops = OverrideNoops ?? 1 + _random.NextInt(NoopMax);
        for (int k = 0; k < noops; k++)
            if (Inner.Step(_noop, observation).Done) Inner.Reset(observation, seed);
    }

    public override void WriteState(BinaryWriter writer)
    {
        AtariState.Write(writer, _random);
        base.WriteState(writer);
    }

    public override void ReadState(BinaryReader reader)
    {
        AtariState.Read(reader, _random);
        base.ReadState(reader);
    }
}
