using Research.Abstractions.Environments;

namespace Research.Rl.Wrappers;

/// <summary>Truncates episodes after <see cref="MaxEpisodeSteps"/> steps, as Gymnasium's <c>TimeLimit</c>.</summary>
public sealed class TimeLimit : EnvWrapper
{
    private int _elapsed;

    /// <summary>Wraps <paramref name="inner"/> with a limit of <paramref name="maxEpisodeSteps"/> steps.</summary>
    public TimeLimit(IEnv inner, int maxEpisodeSteps) : base(inner)
    {
        if (maxEpisodeSteps <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxEpisodeSteps), maxEpisodeSteps, "TimeLimit: the limit must be positive.");
        MaxEpisodeSteps = maxEpisodeSteps;
    }

    /// <summary>Steps after which an episode is truncated.</summary>
    public int MaxEpisodeSteps { get; }

    /// <summary>Steps taken in the current episode.</summary>
    public int ElapsedSteps => _elapsed;

    public override void Reset(Span<float> observation, int? seed = null)
    {
        _elapsed = 0;
        Inner.Reset(observation, seed);
    }

    public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        var outcome = Inner.Step(action, observation);
        _elapsed++;
        return _elapsed >= MaxEpisodeSteps ? outcome with { Truncated = true } : outcome;
    }

    public override void WriteState(BinaryWriter writer)
    {
        writer.Write(_elapsed);
        base.WriteState(writer);
    }

    public override void ReadState(BinaryReader reader)
    {
        _elapsed = reader.ReadInt32();
        base.ReadState(reader);
    }
}
