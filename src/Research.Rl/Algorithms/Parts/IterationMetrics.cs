using System.Diagnostics;
using Research.Abstractions.Metrics;
using Research.Rl.Logging;
using Research.Rl.Policies;

namespace Research.Rl.Algorithms;

/// <summary>
/// An algorithm's metrics: the sinks, the logger that averages a tag's values within an iteration, and the dump at the end of
/// each iteration with Stable-Baselines' tags (<c>rollout/…</c>, <c>time/…</c>, <c>train/&lt;learner statistic&gt;</c>) and,
/// every <c>histogram_frequency</c> iterations, the policy's weights as histograms.
/// </summary>
public sealed class IterationMetrics
{
    private readonly List<IMetricsSink> _sinks = [];
    private readonly Stopwatch _clock = new();
    private long _timestepsAtClockStart;

    /// <summary>Metrics for an algorithm; <paramref name="verbose"/> ≥ 1 adds Stable-Baselines' table on standard output.</summary>
    public IterationMetrics(int verbose)
    {
        Logger = new MetricsLogger(_sinks);
        if (verbose >= 1) _sinks.Add(new StdoutSink());
    }

    /// <summary>Where metrics go.</summary>
    public ICollection<IMetricsSink> Sinks => _sinks;

    /// <summary>Averages and dumps the metrics of each iteration to <see cref="Sinks"/>.</summary>
    public MetricsLogger Logger { get; }

    /// <summary>Whether the fps clock runs (it starts with a training run and does not survive a restore).</summary>
    public bool ClockRunning => _clock.IsRunning;

    /// <summary>Restarts <c>time/fps</c> and <c>time/time_elapsed</c> from now and <paramref name="numTimesteps"/>.</summary>
    public void RestartClock(long numTimesteps)
    {
        _timestepsAtClockStart = numTimesteps;
        _clock.Restart();
    }

    /// <summary>Records the iteration's tags and the learner statistics, dumps them at <paramref name="numTimesteps"/>, and logs weight histograms when due.</summary>
    public void Dump(EpisodeStatistics episodes, long numTimesteps, int iteration, IReadOnlyList<KeyValuePair<string, double>> learner,
        PolicyBase policy, int histogramFrequency)
    {
        if (episodes.Count > 0)
        {
            Logger.Record("rollout/ep_rew_mean", episodes.MeanReturn);
            Logger.Record("rollout/ep_len_mean", episodes.MeanLength);
        }
        double elapsed = Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        Logger.Record("time/fps", Math.Floor((numTimesteps - _timestepsAtClockStart) / elapsed));
        Logger.Record("time/iterations", iteration);
        Logger.Record("time/time_elapsed", Math.Floor(elapsed));
        Logger.Record("time/total_timesteps", numTimesteps);
        foreach (var (name, value) in learner) Logger.Record("train/" + name, value);
        Logger.Dump(numTimesteps);
        if (histogramFrequency > 0 && iteration % histogramFrequency == 0)
            foreach (var (name, parameter) in policy.NamedParameters())
                foreach (var sink in _sinks)
                    sink.RecordHistogram("weights/" + name, parameter.AsSpan(), numTimesteps);
    }

    /// <summary>Flushes every sink.</summary>
    public void Flush()
    {
        foreach (var sink in _sinks) sink.Flush();
    }
}
