using Research.Abstractions.Algorithms;

namespace Research.Rl.Logging;

/// <summary>Builds RLlib's result row for one training iteration from the episode window, counters, timings and learner statistics.</summary>
public static class ResultRows
{
    /// <summary>The prefix of learner statistics (<c>info/learner/policy_loss</c>).</summary>
    public const string LearnerPrefix = "info/learner/";

    /// <summary>
    /// Creates a row with <c>episode_reward_max/min/mean</c>, <c>episode_len_mean</c>, <c>episodes_this_iter</c>,
    /// <c>episodes_total</c>, <c>timesteps_total</c>, <c>training_iteration</c>, <c>time_this_iter_s</c>, <c>time_total_s</c>,
    /// then each learner statistic as <c>info/learner/&lt;name&gt;</c>. Episode statistics are NaN before the first episode ends.
    /// </summary>
    public static ResultRow Create(EpisodeStatistics episodes, long timestepsTotal, int trainingIteration,
        double timeThisIterSeconds, double timeTotalSeconds, IEnumerable<KeyValuePair<string, double>>? learnerStatistics = null)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        var row = new ResultRow
        {
            ["episode_reward_max"] = episodes.MaxReturn,
            ["episode_reward_min"] = episodes.MinReturn,
            ["episode_reward_mean"] = episodes.MeanReturn,
            ["episode_len_mean"] = episodes.MeanLength,
            ["episodes_this_iter"] = episodes.EpisodesThisIteration,
            ["episodes_total"] = episodes.EpisodesTotal,
            ["timesteps_total"] = timestepsTotal,
            ["training_iteration"] = trainingIteration,
            ["time_this_iter_s"] = timeThisIterSeconds,
            ["time_total_s"] = timeTotalSeconds,
        };
        if (learnerStatistics is not null)
        {
            foreach (var (name, value) in learnerStatistics)
            {
                ArgumentException.ThrowIfNullOrEmpty(name);
                row[name.StartsWith(LearnerPrefix, StringComparison.Ordinal) ? name : LearnerPrefix + name] = value;
            }
        }
        return row;
    }
}
