using Research.Abstractions.Algorithms;
using Research.Abstractions.Metrics;
using Research.Rl.VectorEnvs;

namespace Research.Host.Training;

/// <summary>An algorithm together with the vector env the factory built for it: disposing it disposes both (algorithms do not own their env, as in Stable-Baselines).</summary>
public sealed class EnvironmentOwningAlgorithm(IAlgorithm inner, IVectorEnv env) : IAlgorithm
{
    /// <summary>The algorithm itself (for its concrete type's members).</summary>
    public IAlgorithm Inner { get; } = inner;

    /// <summary>The training environment.</summary>
    public IVectorEnv Env { get; } = env;

    /// <inheritdoc />
    public string Name => Inner.Name;

    /// <inheritdoc />
    public long NumTimesteps => Inner.NumTimesteps;

    /// <inheritdoc />
    public int Iteration => Inner.Iteration;

    /// <inheritdoc />
    public ICollection<IMetricsSink> MetricsSinks => Inner.MetricsSinks;

    /// <inheritdoc />
    public ResultRow Train() => Inner.Train();

    /// <inheritdoc />
    public void Learn(long totalTimesteps, TrainingCallback? callback = null, bool progressBar = false, bool resetNumTimesteps = true) =>
        Inner.Learn(totalTimesteps, callback, progressBar, resetNumTimesteps);

    /// <inheritdoc />
    public void Predict(ReadOnlySpan<float> observation, Span<float> action, bool deterministic = false) =>
        Inner.Predict(observation, action, deterministic);

    /// <inheritdoc />
    public void Save(string path) => Inner.Save(path);

    /// <inheritdoc />
    public void SaveCheckpoint(string directory) => Inner.SaveCheckpoint(directory);

    /// <inheritdoc />
    public void RestoreCheckpoint(string directory) => Inner.RestoreCheckpoint(directory);

    /// <inheritdoc />
    public void RestoreCheckpoint(string directory, CheckpointRestore restore) => Inner.RestoreCheckpoint(directory, restore);

    /// <summary>Disposes the algorithm, then its environment.</summary>
    public void Dispose()
    {
        try
        {
            Inner.Dispose();
        }
        finally
        {
            Env.Dispose();
        }
    }
}
