namespace Research.Rl.Callbacks;

/// <summary>Settings of an <see cref="EvalCallback"/>, with Stable-Baselines' defaults.</summary>
public sealed record EvalCallbackOptions
{
    /// <summary>Evaluate every this many calls (vector steps); 0 or less never evaluates.</summary>
    public int EvalFreq { get; init; } = 10000;

    /// <summary>Episodes per evaluation.</summary>
    public int NEvalEpisodes { get; init; } = 5;

    /// <summary>Whether the policy acts deterministically during evaluation.</summary>
    public bool Deterministic { get; init; } = true;

    /// <summary>Folder for <c>best_model.zip</c>; none saves nothing.</summary>
    public string? BestModelSavePath { get; init; }

    /// <summary>Folder for <c>evaluations.json</c> (SB3's <c>evaluations.npz</c>); none writes nothing.</summary>
    public string? LogPath { get; init; }

    /// <summary>Seed of the evaluation env's first reset; later evaluations continue its generator.</summary>
    public int? Seed { get; init; }

    /// <summary>1 prints each evaluation's result.</summary>
    public int Verbose { get; init; } = 1;
}
