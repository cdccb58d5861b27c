using Research.Abstractions.Algorithms;
using Research.Abstractions.Metrics;
using Research.Abstractions.Options;
using Research.Abstractions.Plugins;
using Research.Rl.VectorEnvs;

namespace ResearchPlugin;

/// <summary>The agent's options; <see cref="AlgorithmOptions"/> adds seed, n_envs and verbose.</summary>
public sealed record RandomAgentOptions : AlgorithmOptions
{
    /// <summary>Vector-environment steps per training iteration.</summary>
    [Option("Vector-environment steps per training iteration.", Min = 1)]
    public int StepsPerIteration { get; init; } = 64;
}

/// <summary>A uniformly random agent: the baseline every algorithm must beat, and a skeleton to start from.</summary>
[Algorithm("ResearchPlugin.RandomAgent", Description = "Uniformly random actions; a baseline.")]
public sealed class RandomAgent(IVectorEnv env, RandomAgentOptions options) : IAlgorithm
{
    private readonly int _seed = options.Seed ?? 0;
    private readonly float[] _actions = new float[env.NumEnvs * env.SingleActionSpace.FlatSize];
    private Random _random = new(options.Seed ?? 0);
    private bool _started;

    public string Name => "ResearchPlugin.RandomAgent";
    public long NumTimesteps { get; private set; }
    public int Iteration { get; private set; }
    public ICollection<IMetricsSink> MetricsSinks { get; } = new List<IMetricsSink>();

    public ResultRow Train()
    {
        // Each iteration draws from its own seeded stream, so a restored checkpoint continues identically.
        _random = new Random(unchecked(_seed + Iteration));
        if (!_started) env.Reset(_seed);
        _started = true;
        int size = env.SingleActionSpace.FlatSize, episodes = 0;
        double returns = 0;
        for (int step = 0; step < options.StepsPerIteration; step++)
        {
            for (int i = 0; i < env.NumEnvs; i++) env.SingleActionSpace.Sample(_random, _actions.AsSpan(i * size, size));
            env.Step(_actions);
            NumTimesteps += env.NumEnvs;
            foreach (var episode in env.CompletedEpisodes)
            {
                episodes++;
                returns += episode.Return;
            }
        }
        Iteration++;
        var row = new ResultRow
        {
            ["training_iteration"] = Iteration,
            ["timesteps_total"] = NumTimesteps,
            ["episodes_this_iter"] = episodes,
            ["episode_reward_mean"] = episodes > 0 ? returns / episodes : double.NaN,
        };
        foreach (var sink in MetricsSinks)
            foreach (var (key, value) in row) sink.RecordScalar(key, value, NumTimesteps);
        return row;
    }

    public void Learn(long totalTimesteps, TrainingCallback? callback = null, bool progressBar = false, bool resetNumTimesteps = true)
    {
        if (resetNumTimesteps) NumTimesteps = 0;
        long target = NumTimesteps + totalTimesteps;
        callback?.OnTrainingStart(this);
        try
        {
            while (NumTimesteps < target)
                if (callback is not null && !callback.OnIterationEnd(this, Train())) break;
                else if (callback is null) Train();
        }
        finally
        {
            callback?.OnTrainingEnd(this);
        }
    }

    public void Predict(ReadOnlySpan<float> observation, Span<float> action, bool deterministic = false) =>
        env.SingleActionSpace.Sample(_random, action);

    public void Save(string path) => File.WriteAllText(path, $"{_seed} {NumTimesteps} {Iteration}");

    public void SaveCheckpoint(string directory)
    {
        Directory.CreateDirectory(directory);
        Save(Path.Combine(directory, "random_agent.txt"));
    }

    public void RestoreCheckpoint(string directory)
    {
        var parts = File.ReadAllText(Path.Combine(directory, "random_agent.txt")).Split(' ');
        (NumTimesteps, Iteration) = (long.Parse(parts[1]), int.Parse(parts[2]));
    }

    public void Dispose() { }
}
