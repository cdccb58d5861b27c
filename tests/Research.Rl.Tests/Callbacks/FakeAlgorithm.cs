using Research.Abstractions.Algorithms;
using Research.Abstractions.Metrics;

namespace Research.Rl.Tests.Callbacks;

/// <summary>An algorithm whose counters the test drives and whose saves and predictions are recorded.</summary>
internal sealed class FakeAlgorithm : IAlgorithm
{
    public string Name => "Fake";
    public long NumTimesteps { get; set; }
    public int Iteration { get; set; }
    public ICollection<IMetricsSink> MetricsSinks { get; } = [];
    public List<string> SavedPaths { get; } = [];

    /// <summary>The action every prediction writes (with <see cref="Evaluation.ScriptedEnv"/> the reward per step is this plus one).</summary>
    public float Action { get; set; }

    public ResultRow Train() => new();
    public void Learn(long totalTimesteps, TrainingCallback? callback = null, bool progressBar = false, bool resetNumTimesteps = true) { }
    public void Predict(ReadOnlySpan<float> observation, Span<float> action, bool deterministic = false) => action[0] = Action;

    public void Save(string path)
    {
        File.WriteAllText(path, $"model at {NumTimesteps}");
        SavedPaths.Add(path);
    }

    public void SaveCheckpoint(string directory) { }
    public void RestoreCheckpoint(string directory) { }
    public void Dispose() { }
}
