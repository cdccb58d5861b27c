using Research.Abstractions.Environments;

namespace Research.Rl.Wrappers.Atari;

/// <summary>Replaces each reward by its sign: −1, 0 or +1 (Stable-Baselines' <c>ClipRewardEnv</c>, NumPy's <c>np.sign</c>: NaN stays NaN).</summary>
public sealed class ClipRewardEnv(IEnv inner) : EnvWrapper(inner)
{
    public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        var outcome = Inner.Step(action, observation);
        double r = outcome.Reward;
        return outcome with { Reward = double.IsNaN(r) ? r : Math.Sign(r) };
    }
}
