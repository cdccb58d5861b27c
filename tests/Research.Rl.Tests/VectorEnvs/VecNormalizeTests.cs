using Research.Abstractions.Spaces;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;
using Research.Rl.Wrappers.Normalization;
using static Research.Rl.Tests.VectorEnvs.VectorEnvTesting;

namespace Research.Rl.Tests.VectorEnvs;

public class VecNormalizeTests
{
    private const double Eps = 1e-8;

    // Two envs observing 1 and 3 at reset, then +1 per step, paying rewards 1 and 2; env 0's episodes last 2 steps.
    private static VecNormalize Scripted(VecNormalizeOptions? options = null) =>
        new(new SyncVectorEnv([new ScriptedEnv(1, [1], episodeLength: 2), new ScriptedEnv(3, [2])]), options);

    [Fact]
    public void RunningMeanStd_merges_a_batch_as_Stable_Baselines()
    {
        var rms = new RunningMeanStd(1);
        rms.Update<float>([1f, 3f]);
        // count 1e-4 (mean 0, var 1) merged with a batch of mean 2, variance 1, count 2.
        Assert.Equal(2.0001, rms.Count, 12);
        Assert.Equal(4 / 2.0001, rms.Mean[0], 12);
        Assert.Equal((1e-4 + 2 + 4 * 1e-4 * 2 / 2.0001) / 2.0001, rms.Var[0], 12);
    }

    [Fact]
    public void RunningMeanStd_batches_equal_one_by_one_updates()
    {
        var batched = new RunningMeanStd(2, epsilon: 0);
        var single = new RunningMeanStd(2, epsilon: 0);
        float[] data = [1, 10, 2, 20, 4, 40, 7, 70];
        batched.Update<float>(data);
        single.Update<float>(data.AsSpan(0, 2));
        for (int r = 1; r < 4; r++) single.Update<float>(data.AsSpan(r * 2, 2));
        Assert.Equal(3.5, batched.Mean[0], 12);
        Assert.Equal(5.25, batched.Var[0], 12);
        Assert.Equal(525, batched.Var[1], 9);
        Assert.Equal(batched.Mean[1], single.Mean[1], 9);
        Assert.Equal(batched.Var[1], single.Var[1], 9);
    }

    [Fact]
    public void Reset_updates_the_statistics_and_normalizes()
    {
        using var vec = Scripted();
        vec.Reset();
        double mean = 4 / 2.0001, variance = (1e-4 + 2 + 4 * 1e-4 * 2 / 2.0001) / 2.0001;
        Assert.Equal((float)((1 - mean) / Math.Sqrt(variance + Eps)), vec.Observations[0]);
        Assert.Equal((float)((3 - mean) / Math.Sqrt(variance + Eps)), vec.Observations[1]);
        Assert.Equal([1f, 3f], vec.OriginalObservations);
    }

    [Fact]
    public void Rewards_are_scaled_by_the_spread_of_the_discounted_return()
    {
        using var vec = Scripted();
        vec.Reset();
        vec.Step([0, 0]);
        // returns [1, 2]: a batch of mean 1.5, variance 0.25, count 2 merged into (0, 1, 1e-4).
        double variance = (1e-4 + 0.5 + 2.25 * 1e-4 * 2 / 2.0001) / 2.0001;
        Assert.Equal((float)(1 / Math.Sqrt(variance + Eps)), vec.Rewards[0]);
        Assert.Equal((float)(2 / Math.Sqrt(variance + Eps)), vec.Rewards[1]);
        Assert.Equal([1f, 2f], vec.OriginalRewards);

        vec.Step([0, 0]);
        Assert.Equal([0, 2 * 0.99 + 2], vec.DiscountedReturns);
        Assert.Equal(1e-4 + 4, vec.ReturnStatistics.Count, 12);
    }

    [Fact]
    public void Terminal_observations_are_normalized_without_updating_the_statistics()
    {
        using var vec = Scripted();
        vec.Reset();
        vec.Step([0, 0]);
        vec.Step([0, 0]);
        Assert.True(vec.Terminated[0]);
        var stats = vec.ObservationStatistics!;
        Assert.Equal(1e-4 + 6, stats.Count, 12);
        Assert.Equal(3f, vec.Inner.TerminalObservations[0]);
        Assert.Equal((float)((3 - stats.Mean[0]) / Math.Sqrt(stats.Var[0] + Eps)), vec.TerminalObservations[0]);
        Assert.Equal((float)((1 - stats.Mean[0]) / Math.Sqrt(stats.Var[0] + Eps)), vec.Observations[0]);
        Assert.Equal([new EpisodeRecord(0, 2, 2)], vec.CompletedEpisodes);
    }

    [Fact]
    public void Frozen_statistics_do_not_move_and_values_are_clipped()
    {
        using var vec = new VecNormalize(
            new SyncVectorEnv([new ScriptedEnv(50, [5]), new ScriptedEnv(-50, [-5])]),
            new VecNormalizeOptions(Training: false, ClipReward: 2));
        vec.Reset();
        vec.Step([0, 0]);
        Assert.Equal(1e-4, vec.ObservationStatistics!.Count);
        Assert.Equal(1e-4, vec.ReturnStatistics.Count);
        Assert.Equal([10f, -10f], vec.Observations);
        Assert.Equal([2f, -2f], vec.Rewards);
        Assert.Equal([0.0, 0.0], vec.DiscountedReturns);
    }

    [Fact]
    public void Without_normalization_values_pass_through()
    {
        using var vec = Scripted(new VecNormalizeOptions(NormObs: false, NormReward: false));
        vec.Reset();
        vec.Step([0, 0]);
        Assert.Null(vec.ObservationStatistics);
        Assert.Equal([2f, 4f], vec.Observations);
        Assert.Equal([1f, 2f], vec.Rewards);
        Assert.Equal(2.0001, vec.ReturnStatistics.Count, 12);
    }

    [Fact]
    public void Dict_observations_normalize_only_the_chosen_Box_keys()
    {
        var error = Assert.Throws<ArgumentException>(() => new VecNormalize(new SyncVectorEnv([new DictObservationEnv()])));
        Assert.Contains("VecNormalize: observation key 'mode' has space Discrete(3)", error.Message);

        using var vec = new VecNormalize(new SyncVectorEnv(_ => new DictObservationEnv(), 2), new VecNormalizeOptions(NormObsKeys: ["position"]));
        vec.Reset();
        vec.Step([2, 1]);
        Assert.Equal([2f, 1f], new[] { vec.Observations[2], vec.Observations[5] });
        var stats = vec.ObservationStatistics!;
        float raw = vec.OriginalObservations[4];
        Assert.Equal((float)((raw - stats.Mean[1]) / Math.Sqrt(stats.Var[1] + Eps)), vec.Observations[4]);
    }

    [Fact]
    public void Unsupported_observation_spaces_are_refused()
    {
        var discrete = new TransformObservation(new CounterEnv(), (o, d) => d[0] = 0, new Discrete(2));
        var error = Assert.Throws<ArgumentException>(() => new VecNormalize(new SyncVectorEnv([discrete])));
        Assert.Equal("VecNormalize: observation space Discrete(2) cannot be normalized; expected a Box or a DictSpace whose normalized keys are Boxes (or set NormObs = false).", error.Message);
        var keys = Assert.Throws<ArgumentException>(() => new VecNormalize(new SyncVectorEnv([new CounterEnv()]), new VecNormalizeOptions(NormObsKeys: ["x"])));
        Assert.Contains("NormObsKeys is set but the observation space", keys.Message);
    }

    [Fact]
    public void Exported_statistics_load_into_another_instance()
    {
        using var trained = new VecNormalize(new SyncVectorEnv(MixedCounter, 3));
        trained.Reset(seed: 1);
        Run(trained, 0, 20);
        var arrays = trained.ExportStatistics();
        Assert.Equal(["obs_rms.mean", "obs_rms.var", "obs_rms.count", "ret_rms.mean", "ret_rms.var", "ret_rms.count"], arrays.Keys);

        using var loaded = new VecNormalize(new SyncVectorEnv(MixedCounter, 3), new VecNormalizeOptions(Training: false));
        loaded.ImportStatistics(arrays);
        var a = new float[6];
        var b = new float[6];
        trained.NormalizeObservations(trained.OriginalObservations.AsSpan(0, 6), a);
        loaded.NormalizeObservations(trained.OriginalObservations.AsSpan(0, 6), b);
        Assert.Equal(a, b);

        var missing = arrays.Where(kv => kv.Key != "ret_rms.var").ToDictionary();
        var error = Assert.Throws<KeyNotFoundException>(() => loaded.ImportStatistics(missing));
        Assert.Contains("VecNormalize: statistics array 'ret_rms.var' is missing", error.Message);
        var wrong = arrays.ToDictionary();
        wrong["obs_rms.mean"] = [1, 2, 3];
        Assert.Contains("'obs_rms.mean' has 3 values, expected 2", Assert.Throws<ArgumentException>(() => loaded.ImportStatistics(wrong)).Message);
    }

    [Fact]
    public void State_written_mid_episode_restores_exactly()
    {
        using var vec = new VecNormalize(new SyncVectorEnv(MixedCounter, 3));
        vec.Reset(seed: 5);
        Run(vec, 0, 7);
        var state = SaveState(vec);
        var expected = Run(vec, 7, 10);

        using var restored = new VecNormalize(new ParallelVectorEnv(MixedCounter, 3, new ParallelVectorEnvOptions(MaxThreads: 2)));
        LoadState(restored, state);
        Assert.Equal(expected, Run(restored, 7, 10));
    }

    [Fact]
    public void Single_env_observation_wrapper_matches_VecNormalize_within_an_episode()
    {
        // Across episode ends they differ by design: the single-env wrapper also learns from terminal observations.
        using var vec = new VecNormalize(new SyncVectorEnv([new CounterEnv(episodeLength: 50)]));
        using var single = new NormalizeObservation(new CounterEnv(episodeLength: 50));
        vec.Reset(seed: 9);
        var obs = new float[2];
        single.Reset(obs, 9);
        Assert.Equal(vec.Observations, obs);
        for (int t = 0; t < 10; t++)
        {
            vec.Step([t % 2]);
            single.Step([t % 2], obs);
            Assert.Equal(vec.Observations, obs);
        }
        Assert.Equal(vec.ObservationStatistics!.Var, single.Statistics.Var);
    }

    [Fact]
    public void Single_env_reward_wrapper_matches_VecNormalize_across_episodes()
    {
        using var vec = new VecNormalize(new SyncVectorEnv([new CounterEnv(episodeLength: 4)]));
        using var single = new NormalizeReward(new CounterEnv(episodeLength: 4));
        vec.Reset(seed: 9);
        var obs = new float[2];
        single.Reset(obs, 9);
        for (int t = 0; t < 11; t++)
        {
            vec.Step([t % 2]);
            var outcome = single.Step([t % 2], obs);
            Assert.Equal(vec.Rewards[0], (float)outcome.Reward);
            if (outcome.Done) single.Reset(obs);
        }
        Assert.Equal(vec.ReturnStatistics.Var, single.Statistics.Var);
    }
}
