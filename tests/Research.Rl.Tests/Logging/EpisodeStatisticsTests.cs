using Research.Rl.Logging;
using Research.Rl.VectorEnvs;

namespace Research.Rl.Tests.Logging;

public sealed class EpisodeStatisticsTests
{
    [Fact]
    public void The_window_keeps_the_last_episodes_and_counts_all_of_them()
    {
        var stats = new EpisodeStatistics(windowSize: 3);
        Assert.True(double.IsNaN(stats.MeanReturn));
        Assert.True(double.IsNaN(stats.MeanLength));
        stats.AddRange([new EpisodeRecord(0, 1, 10), new EpisodeRecord(1, 2, 20)]);
        Assert.Equal((1.5, 1d, 2d, 15d), (stats.MeanReturn, stats.MinReturn, stats.MaxReturn, stats.MeanLength));
        stats.StartIteration();
        stats.AddRange([new EpisodeRecord(0, 3, 30), new EpisodeRecord(1, 4, 40), new EpisodeRecord(0, -5, 50)]);
        Assert.Equal((3, 5L, 3), (stats.Count, stats.EpisodesTotal, stats.EpisodesThisIteration));
        Assert.Equal((2 / 3d, -5d, 4d, 40d), (stats.MeanReturn, stats.MinReturn, stats.MaxReturn, stats.MeanLength));
    }

    [Fact]
    public void The_default_window_is_one_hundred_as_stable_baselines_ep_info_buffer()
    {
        var stats = new EpisodeStatistics();
        for (int i = 1; i <= 150; i++) stats.Add(new EpisodeRecord(0, i, i));
        Assert.Equal(100, stats.Count);
        Assert.Equal(100.5, stats.MeanReturn); // mean of 51..150
        Assert.Equal(51, stats.MinReturn);
    }

    [Fact]
    public void State_round_trips_and_adding_allocates_nothing()
    {
        var stats = new EpisodeStatistics(4);
        IReadOnlyList<EpisodeRecord> episodes = [new EpisodeRecord(0, 1.5, 3), new EpisodeRecord(1, 2.5, 4)];
        stats.AddRange(episodes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) stats.AddRange(episodes);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        using var stream = new MemoryStream();
        stats.WriteState(new BinaryWriter(stream));
        stream.Position = 0;
        var restored = new EpisodeStatistics(4);
        restored.ReadState(new BinaryReader(stream));
        Assert.Equal((stats.MeanReturn, stats.MeanLength, stats.EpisodesTotal), (restored.MeanReturn, restored.MeanLength, restored.EpisodesTotal));
        stats.Add(new EpisodeRecord(0, 9, 9));
        restored.Add(new EpisodeRecord(0, 9, 9));
        Assert.Equal(stats.MeanReturn, restored.MeanReturn);

        stream.Position = 0;
        Assert.Throws<InvalidDataException>(() => new EpisodeStatistics(5).ReadState(new BinaryReader(stream)));
    }

    [Fact]
    public void Result_rows_carry_rllib_keys_in_order()
    {
        var stats = new EpisodeStatistics();
        stats.AddRange([new EpisodeRecord(0, 10, 10), new EpisodeRecord(1, 20, 30)]);
        var row = ResultRows.Create(stats, timestepsTotal: 4096, trainingIteration: 2, timeThisIterSeconds: 0.5, timeTotalSeconds: 1.25,
            [new("policy_loss", -0.1), new("info/learner/value_loss", 3)]);
        Assert.Equal(
            ["episode_reward_max", "episode_reward_min", "episode_reward_mean", "episode_len_mean", "episodes_this_iter", "episodes_total",
             "timesteps_total", "training_iteration", "time_this_iter_s", "time_total_s", "info/learner/policy_loss", "info/learner/value_loss"],
            row.Keys);
        Assert.Equal([20, 10, 15, 20, 2, 2, 4096, 2, 0.5, 1.25, -0.1, 3], row.Values);
        Assert.True(double.IsNaN(ResultRows.Create(new EpisodeStatistics(), 0, 0, 0, 0)["episode_reward_mean"]));
    }
}
