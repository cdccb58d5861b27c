using Research.Abstractions.Environments;

namespace Research.Rl.Wrappers;

/// <summary>The zoo's <c>rl_zoo3.wrappers.FrameSkip</c>: repeats each action <c>skip</c> times, sums the rewards, keeps the last observation,
/// and stops early when the episode ends (unlike Atari's <c>MaxAndSkipEnv</c>, no max over the last frames).</summary>
public sealed class FrameSkip : EnvWrapper
{
    private readonly int _skip;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="skip"/> must be at least 1 (the zoo's default is 4).</summary>
    public FrameSkip(IEnv inner, int skip = 4) : base(inner)
    {
        if (skip < 1) throw new ArgumentOutOfRangeException(nameof(skip), skip, "FrameSkip: skip must be at least 1.");
        _skip = skip;
    }

    public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        double total = 0;
        StepOutcome outcome = default;
        for (int i = 0; i < _skip; i++)
        {
            outcome = Inner.Step(action, observation);
            total += outcome.Reward;
            if (outcome.Done) break;
        }
        return outcome with { Reward = total };
    }
}
