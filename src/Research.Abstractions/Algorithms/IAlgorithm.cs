using Research.Abstractions.Metrics;

namespace Research.Abstractions.Algorithms;

/// <summary>One training run of a reinforcement-learning algorithm: Stable-Baselines' <c>learn/predict/save</c> and RLlib's <c>train()</c> in one object.</summary>
public interface IAlgorithm : IDisposable
{
    /// <summary>The registered name (for example <c>PPO</c>).</summary>
    string Name { get; }

    /// <summary>Environment timesteps consumed so far, summed over all environments.</summary>
    long NumTimesteps { get; }

    /// <summary>Number of <see cref="Train"/> iterations completed.</summary>
    int Iteration { get; }

    /// <summary>Where metrics go; add a sink (stdout, CSV, TensorBoard) before training.</summary>
    ICollection<IMetricsSink> MetricsSinks { get; }

    /// <summary>Runs one training iteration (one rollout and its update) and returns RLlib's result row.</summary>
    ResultRow Train();

    /// <summary>Trains until <paramref name="totalTimesteps"/> more (or in total, if not reset) timesteps are consumed or the callback stops it.</summary>
    void Learn(long totalTimesteps, TrainingCallback? callback = null, bool progressBar = false, bool resetNumTimesteps = true);

    /// <summary>Writes the policy's action for one observation; allocates nothing.</summary>
    void Predict(ReadOnlySpan<float> observation, Span<float> action, bool deterministic = false);

    /// <summary>Saves the model (weights, options, spaces, counters, normalizer statistics) to a <c>.zip</c>.</summary>
    void Save(string path);

    /// <summary>Saves the whole training state into <paramref name="directory"/> so that a restore continues bit for bit.</summary>
    void SaveCheckpoint(string directory);

    /// <summary>
    /// Restores a state saved by <see cref="SaveCheckpoint"/> (from a model file: its weights, optimizer state and counters).
    /// The saved options must equal this object's (seed and verbosity aside); a difference is an error naming the option and both values.
    /// </summary>
    void RestoreCheckpoint(string directory);

    /// <summary>
    /// As <see cref="RestoreCheckpoint(string)"/>; with <see cref="CheckpointRestore.KeepCurrentOptions"/> this object's options stay
    /// in force over the saved ones (PBT's exploit: a donor's state under mutated hyperparameters), as long as the shapes agree.
    /// </summary>
    void RestoreCheckpoint(string directory, CheckpointRestore restore)
    {
        if (restore != CheckpointRestore.SameOptions)
            throw new NotSupportedException($"{Name} cannot restore a checkpoint under options other than the saved ones.");
        RestoreCheckpoint(directory);
    }
}

/// <summary>Whose options a restored checkpoint runs under.</summary>
public enum CheckpointRestore
{
    /// <summary>The saved options must equal the object's (seed and verbosity aside).</summary>
    SameOptions,

    /// <summary>The object's own options stay in force (the state must still fit them: same spaces, networks and buffers).</summary>
    KeepCurrentOptions,
}
