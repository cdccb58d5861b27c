using Research.Abstractions.Environments;

namespace Research.Rl.Wrappers.Atari;

/// <summary>
/// Stable-Baselines' <c>AtariWrapper</c>: sticky actions (off by default), no-op starts, frame skipping with a two-frame
/// maximum, a terminal signal at every lost life, FIRE after resets (when the game has FIRE), 84 × 84 grayscale frames
/// and rewards clipped to their sign — in SB3's order, each part the wrapper of the same name.
/// </summary>
/// <remarks>
/// Episode statistics: with terminal-on-life-loss an "episode" is a life, but the score that counts is the game's. As SB3's
/// <c>make_atari_env</c> puts a <c>Monitor</c> under the wrapper, this one puts a <see cref="RecordEpisodeStatistics"/> under its
/// parts unless one is already there; vector envs report episodes from it (whole games, raw rewards, raw frame counts).
/// </remarks>
public sealed class AtariWrapper : EnvWrapper
{
    /// <summary>Wraps an Atari env (<see cref="IAtariEnv"/> innermost) with SB3's preprocessing.</summary>
    public AtariWrapper(IEnv inner, AtariWrapperOptions? options = null) : base(Build(inner, options ?? new AtariWrapperOptions()))
    {
        Options = options ?? new AtariWrapperOptions();
    }

    /// <summary>The settings.</summary>
    public AtariWrapperOptions Options { get; }

    private static IEnv Build(IEnv env, AtariWrapperOptions o)
    {
        var console = AtariEnvs.Unwrapped(env, nameof(AtariWrapper));
        if (!HasEpisodeStatistics(env)) env = new RecordEpisodeStatistics(env);
        if (o.ActionRepeatProbability > 0) env = new StickyActionEnv(env, o.ActionRepeatProbability);
        if (o.NoopMax > 0) env = new NoopResetEnv(env, o.NoopMax);
        if (o.FrameSkip > 1) env = new MaxAndSkipEnv(env, o.FrameSkip);
        if (o.TerminalOnLifeLoss) env = new EpisodicLifeEnv(env);
        if (console.ActionMeanings.Contains("FIRE")) env = new FireResetEnv(env);
        env = new WarpFrame(env, o.ScreenSize, o.ScreenSize);
        if (o.ClipReward) env = new ClipRewardEnv(env);
        return env;
    }

    private static bool HasEpisodeStatistics(IEnv env)
    {
        for (var e = env; e is EnvWrapper w; e = w.Inner)
            if (e is RecordEpisodeStatistics) return true;
        return false;
    }
}
