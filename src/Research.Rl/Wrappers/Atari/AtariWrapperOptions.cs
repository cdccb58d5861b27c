using Research.Abstractions.Options;

namespace Research.Rl.Wrappers.Atari;

/// <summary>Stable-Baselines' <c>AtariWrapper</c> arguments, with its defaults and names (the zoo's <c>env_wrapper</c> kwargs bind onto them).</summary>
public sealed record AtariWrapperOptions
{
    /// <summary>Most no-ops at a reset; 0 turns <see cref="NoopResetEnv"/> off.</summary>
    [Option("Maximum number of no-ops at a reset (0: none).", Min = 0)]
    public int NoopMax { get; init; } = 30;

    /// <summary>Frames per agent step; 1 turns <see cref="MaxAndSkipEnv"/> off.</summary>
    [Option("Frames per agent step, with the maximum over the last two (1: no skipping).", Min = 1)]
    public int FrameSkip { get; init; } = 4;

    /// <summary>Side of the square luma frame.</summary>
    [Option("Side of the square grayscale observation.", Min = 1)]
    public int ScreenSize { get; init; } = 84;

    /// <summary>End the episode (terminated) at every lost life.</summary>
    [Option("End an episode whenever a life is lost (the game resets only when over).")]
    public bool TerminalOnLifeLoss { get; init; } = true;

    /// <summary>Clip rewards to their sign.</summary>
    [Option("Clip rewards to {-1, 0, +1}.")]
    public bool ClipReward { get; init; } = true;

    /// <summary>Chance of repeating the previous action (sticky actions); 0 turns it off.</summary>
    [Option("Probability of repeating the previous action (sticky actions).", Min = 0, Max = 1)]
    public double ActionRepeatProbability { get; init; }
}
