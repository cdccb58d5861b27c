using Research.Abstractions.Environments;

namespace Research.Rl.Wrappers.Atari;

/// <summary>
/// Presses FIRE (action 1), then action 2, after every reset, for games that wait for it (Stable-Baselines' <c>FireResetEnv</c>).
/// </summary>
/// <remarks>As SB3: either press that ends the episode resets the game, the observation returned is the second press's, and the reset's info is empty.</remarks>
public sealed class FireResetEnv : EnvWrapper
{
    private static readonly float[] Fire = [1f], Second = [2f];
    private readonly float[] _scratch;
    private bool _afterReset;

    /// <summary>Wraps an Atari env whose action 1 is <c>FIRE</c> and which has at least three actions.</summary>
    public FireResetEnv(IEnv inner) : base(inner)
    {
        var meanings = AtariEnvs.Unwrapped(inner, nameof(FireResetEnv)).ActionMeanings;
        if (meanings.Count < 3 || meanings[1] != "FIRE")
            throw new ArgumentException($"FireResetEnv: needs action 1 to be FIRE and at least three actions, but the action meanings are [{string.Join(", ", meanings)}].");
        _scratch = new float[inner.ObservationSpace.FlatSize];
    }

    public override IReadOnlyDictionary<string, object> Info => _afterReset ? EmptyInfo.Instance : Inner.Info;

    public override void Reset(Span<float> observation, int? seed = null)
    {
        Inner.Reset(observation, seed);
        if (Inner.Step(Fire, observation).Done) Inner.Reset(observation, seed);
        if (Inner.Step(Second, observation).Done) Inner.Reset(_scratch, seed);
        _afterReset = true;
    }

    public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        _afterReset = false;
        return Inner.Step(action, observation);
    }
}
