using Research.Plugins.ClassicControl;
using Research.Rl.Imitation;
using Research.Rl.Wrappers;

namespace Research.Plugins.Experts.Tests;

/// <summary>The experts feed the imitation pipeline: record to .npz, load as a dataset checked against the environment's spaces.</summary>
public sealed class ExpertRecordingTests
{
    [Fact]
    public void Recorded_cartpole_expert_loads_as_a_dataset_of_perfect_episodes()
    {
        string path = Path.Combine(Path.GetTempPath(), $"expert_cartpole_{Guid.NewGuid():N}.npz");
        try
        {
            using var env = new TimeLimit(new CartPoleEnv(), 500);
            ExpertRecorder.Record(new CartPolePidExpert(), env, new ExpertRecorderOptions { NEpisodes = 3, Seed = 0 }, path);
            using var dataset = ExpertDataset.Load(path, new ExpertDatasetOptions { Verbose = 0, BatchSize = 128 }, env.ObservationSpace, env.ActionSpace);
            Assert.Equal([500d, 500, 500], dataset.Returns);
            Assert.Equal(1500, dataset.NumTransitions);
            Assert.Equal(128, dataset.GetNextBatch().Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Recorded_pendulum_expert_stores_float32_actions_of_shape_n_by_1()
    {
        using var env = new TimeLimit(new PendulumEnv(), 200);
        var data = ExpertRecorder.Record(new PendulumEnergyExpert(), env, new ExpertRecorderOptions { NEpisodes = 2, Seed = 5 });
        Assert.Equal([1], data.ActionShape);
        Assert.Equal(Research.Tensors.Io.NpyDType.Float32, data.ActionDType);
        Assert.Equal(400, data.Count);
        Assert.All(data.EpisodeReturns, r => Assert.True(r > -400, $"return {r}"));
    }
}
