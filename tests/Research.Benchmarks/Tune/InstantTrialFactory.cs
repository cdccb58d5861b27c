using Research.Abstractions.Algorithms;
using Research.Abstractions.Metrics;
using Research.Tune;

namespace Research.Benchmarks.Tune;

/// <summary>An algorithm whose iteration costs nothing, so a sweep of it measures only the driver and the trial bookkeeping.</summary>
/// <remarks>Its reward is its iteration plus <paramref name="offset"/>, so trials differ and a scheduler has something to compare.</remarks>
public sealed class InstantAlgorithm(double offset = 0) : IAlgorithm
{
    public string Name => "Instant";
    public long NumTimesteps { get; private set; }
    public int Iteration { get; private set; }
    public ICollection<IMetricsSink> MetricsSinks { get; } = new List<IMetricsSink>();

    public ResultRow Train()
    {
        Iteration++;
        NumTimesteps += 1;
        return new ResultRow { ["episode_reward_mean"] = Iteration + offset };
    }

    public void Learn(long totalTimesteps, TrainingCallback? callback = null, bool progressBar = false, bool resetNumTimesteps = true)
    {
        while (NumTimesteps < totalTimesteps) Train();
    }

    public void Predict(ReadOnlySpan<float> observation, Span<float> action, bool deterministic = false) => action.Clear();
    public void Save(string path) => File.WriteAllText(path, Iteration.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public void SaveCheckpoint(string directory) => Save(Path.Combine(directory, "state.txt"));
    public void RestoreCheckpoint(string directory) =>
        Iteration = int.Parse(File.ReadAllText(Path.Combine(directory, "state.txt")), System.Globalization.CultureInfo.InvariantCulture);
    public void Dispose() { }
}

/// <summary>Creates <see cref="InstantAlgorithm"/>s and accepts any config.</summary>
public sealed class InstantTrialFactory : ITrialFactory
{
    public void Validate(TrialRequest request) { }

    public IAlgorithm Create(TrialRequest request) =>
        new InstantAlgorithm(request.Config.TryGetValue("x", out var x) && x is long i ? i % 7 : 0);
}
