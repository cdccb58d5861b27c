using Research.Abstractions.Environments;

namespace Research.Rl.Wrappers.Atari;

/// <summary>
/// Ends an episode (terminated) when a life is lost, but resets the game only when it is really over (Stable-Baselines'
/// <c>EpisodicLifeEnv</c>, as DeepMind trained DQN): a reset after a lost life takes one no-op step instead.
/// </summary>
public sealed class EpisodicLifeEnv : EnvWrapper
{
    private readonly IAtariEnv _console;
    private readonly float[] _noop;
    private int _lives;
    private bool _wasRealDone = true;

    /// <summary>Wraps an Atari env (lives are read from the innermost <see cref="IAtariEnv"/>).</summary>
    public EpisodicLifeEnv(IEnv inner) : base(inner)
    {
        _console = AtariEnvs.Unwrapped(inner, nameof(EpisodicLifeEnv));
        _noop = new float[inner.ActionSpace.FlatSize];
    }

    /// <summary>Whether the last step ended the game itself (not just a life).</summary>
    public bool WasRealDone => _wasRealDone;

    public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        var outcome = Inner.Step(action, observation);
        _wasRealDone = outcome.Done;
        int lives = _console.Lives;
        // Some games (Qbert) sit at 0 lives for a few frames; only a drop that leaves lives counts, so the game itself ends it.
        bool lifeLost = 0 < lives && lives < _lives;
        _lives = lives;
        return lifeLost ? outcome with { Terminated = true } : outcome;
    }

    public override void Reset(Span<float> observation, int? seed = null)
    {
        if (_wasRealDone) Inner.Reset(observation, seed);
        else if (Inner.Step(_noop, observation).Done) Inner.Reset(observation, seed);
        _lives = _console.Lives;
    }

    public override void WriteState(BinaryWriter writer)
    {
        writer.Write(_lives);
        writer.Write(_wasRealDone);
        base.WriteState(writer);
    }

    public override void ReadState(BinaryReader reader)
    {
        _lives = reader.ReadInt32();
        _wasRealDone = reader.ReadBoolean();
        base.ReadState(reader);
    }
}
