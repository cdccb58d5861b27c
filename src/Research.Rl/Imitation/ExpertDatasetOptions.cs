namespace Research.Rl.Imitation;

/// <summary>How <see cref="ExpertDataset"/> splits data into train and validation sets.</summary>
public enum ExpertSplitMode
{
    /// <summary>Shuffle transitions and split them (Stable-Baselines' behaviour).</summary>
    Transitions,

    /// <summary>Shuffle whole episodes and split them, so no episode is in both sets.</summary>
    Trajectories,
}

/// <summary>Which part of an <see cref="ExpertDataset"/> a batch comes from.</summary>
public enum ExpertSplit
{
    /// <summary>The training split.</summary>
    Train,

    /// <summary>The validation split.</summary>
    Validation,

    /// <summary>Every transition (Stable-Baselines' <c>split=None</c>, used by GAIL).</summary>
    All,
}

/// <summary>Options of <see cref="ExpertDataset"/> (Stable-Baselines' constructor arguments, plus a seed and the image loader's sizes).</summary>
public sealed record ExpertDatasetOptions
{
    /// <summary>Fraction of the data in the training split (above 0, at most 1: 1 keeps no validation split, as SB2).</summary>
    public double TrainFraction { get; init; } = 0.7;

    /// <summary>Transitions per batch (the last batch of an epoch may be smaller).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>How many episodes to use from the start of the data; −1 for all.</summary>
    public int TrajLimitation { get; init; } = -1;

    /// <summary>Whether batches are reshuffled every epoch.</summary>
    public bool Randomize { get; init; } = true;

    /// <summary>0: silent; 1: print the keys' shapes and <see cref="ExpertDataset.LogInfo"/> when loading.</summary>
    public int Verbose { get; init; } = 1;

    /// <summary>Seed of the split and the shuffles (same seed, same batches).</summary>
    public int Seed { get; init; }

    /// <summary>Whether the split is by transitions (as Stable-Baselines) or by whole episodes.</summary>
    public ExpertSplitMode SplitBy { get; init; } = ExpertSplitMode.Transitions;

    /// <summary>Background threads decoding image observations (per split in use).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Decoded batches each worker may hold ready ahead of the consumer (bounds memory).</summary>
    public int MaxQueueLength { get; init; } = 2;
}
