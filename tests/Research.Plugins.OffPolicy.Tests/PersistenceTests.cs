using System.IO.Compression;
using System.Text.Json.Nodes;
using Research.Rl.Algorithms;
using Research.Rl.Persistence;
using Research.Rl.Callbacks;
using Research.Rl.Policies;
using Research.Tensors.Nn;

namespace Research.Plugins.OffPolicy.Tests;

public sealed class PersistenceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dqn-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Zoo-like settings scaled down so that a few iterations cover random warm-up, ε decay, updates and target copies.</summary>
    private static DqnOptions Small(int seed) => Envs.ZooDqnCartPole(seed) with
    {
        NEnvs = 2,
        LearningStarts = 64,
        TrainFreq = 16,
        GradientSteps = 4,
        BatchSize = 16,
        TargetUpdateInterval = 20,
        ExplorationFraction = 0.5,
        PolicyKwargs = new PolicyOptions { ActivationFn = Activation.Relu, NetArch = new NetArchOptions { Qf = [32, 32] } },
    };


    [Fact]
    public void Same_seed_gives_identical_weights_and_another_seed_does_not()
    {
        Dictionary<string, float[]> Run(int seed)
        {
            using var env = ClassicControlVectorEnvs.CartPole(2);
            using var dqn = new Dqn(env, Small(seed));
            dqn.Learn(400);
            return dqn.GetPolicy().GetWeights();
        }
        var a = Run(3);
        WeightAssert.Same(a, Run(3));
        Assert.False(a["q_net.q_net.0.weight"].AsSpan().SequenceEqual(Run(4)["q_net.q_net.0.weight"]));
    }

    [Fact]
    public void Checkpoint_mid_learn_then_restore_into_a_new_object_continues_bit_for_bit()
    {
        const int total = 640;
        using var straightEnv = ClassicControlVectorEnvs.CartPole(2);
        using var straight = new Dqn(straightEnv, Small(5));
        straight.Learn(total);

        string checkpoint = Path.Combine(_dir, "ckpt");
        using (var firstEnv = ClassicControlVectorEnvs.CartPole(2))
        using (var first = new Dqn(firstEnv, Small(5)))
        {
            first.Learn(total, new LambdaCallback(onIterationEnd: (a, _) => a.Iteration < 9));
            Assert.Equal(9 * 32, first.NumTimesteps);
            first.SaveCheckpoint(checkpoint);
        }
        Assert.Equal([CheckpointFile.Name], Directory.GetFiles(checkpoint).Select(Path.GetFileName));
        using (var sections = ZipFile.OpenRead(CheckpointFile.In(checkpoint)))
            Assert.Contains("training/" + OffPolicyAlgorithm<DqnOptions>.ReplayBufferSection, sections.Entries.Select(e => e.FullName));

        using var secondEnv = ClassicControlVectorEnvs.CartPole(2);
        using var second = new Dqn(secondEnv, Small(99));
        second.RestoreCheckpoint(checkpoint);
        Assert.Equal(9, second.Iteration);
        Assert.Equal(9 * 32, second.ReplayBuffer.Count);
        second.Learn(total - second.NumTimesteps, resetNumTimesteps: false);

        WeightAssert.Same(straight.GetPolicy().GetWeights(), second.GetPolicy().GetWeights());
        Assert.Equal(straight.NumTimesteps, second.NumTimesteps);
        Assert.Equal(straight.ExplorationRate, second.ExplorationRate);
        Assert.Equal(straight.Episodes.EpisodesTotal, second.Episodes.EpisodesTotal);
        Assert.Equal(straight.ReplayBuffer.Count, second.ReplayBuffer.Count);
    }

    [Fact]
    public void Save_then_load_predicts_identically_and_holds_both_q_networks()
    {
        using var env = ClassicControlVectorEnvs.CartPole(2);
        using var dqn = new Dqn(env, Small(1));
        dqn.Learn(400);
        string path = Path.Combine(_dir, "model.zip");
        dqn.Save(path);

        using var loaded = Dqn.Load(path);
        Assert.Null(loaded.GetEnv());
        Assert.Equal(dqn.NumTimesteps, loaded.NumTimesteps);
        Assert.Equal(20, loaded.Options.TargetUpdateInterval);
        Assert.Equal(Activation.Relu, loaded.Options.PolicyKwargs.ActivationFn);
        WeightAssert.Same(dqn.GetPolicy().GetWeights(), loaded.GetPolicy().GetWeights());
        var rng = new Random(0);
        var observations = new float[50 * 4];
        for (int k = 0; k < observations.Length; k++) observations[k] = (float)(rng.NextDouble() - 0.5);
        var expected = new float[50];
        var actual = new float[50];
        dqn.Predict(observations, 50, expected, deterministic: true);
        loaded.Predict(observations, 50, actual, deterministic: true);
        Assert.Equal(expected, actual);

        using var zip = ZipFile.OpenRead(path);
        Assert.Equal(["data.json", "policy.npz", "optimizer.npz"], zip.Entries.Select(e => e.FullName));
        var data = JsonNode.Parse(zip.GetEntry("data.json")!.Open())!;
        Assert.Equal("DQN", (string?)data["algorithm"]);
        Assert.Equal(dqn.ExplorationRate, (double?)data["exploration_rate"]);
        Assert.Equal(dqn.ExplorationRate, loaded.ExplorationRate);
        Assert.Equal(20, (int?)data["options"]!["target_update_interval"]);
        Assert.Equal(
            ["q_net.q_net.0.weight", "q_net.q_net.0.bias", "q_net.q_net.2.weight", "q_net.q_net.2.bias", "q_net.q_net.4.weight", "q_net.q_net.4.bias",
             "q_net_target.q_net.0.weight", "q_net_target.q_net.0.bias", "q_net_target.q_net.2.weight", "q_net_target.q_net.2.bias",
             "q_net_target.q_net.4.weight", "q_net_target.q_net.4.bias"],
            dqn.GetPolicy().GetWeights().Keys);

        using var env2 = ClassicControlVectorEnvs.CartPole(2);
        using var withEnv = Dqn.Load(path, env2);
        withEnv.Learn(64, resetNumTimesteps: false);
        Assert.Equal(dqn.NumTimesteps + 64, withEnv.NumTimesteps);
    }

    [Fact]
    public void Replay_buffer_saves_and_loads_and_a_mismatched_one_is_refused_naming_the_file()
    {
        using var env = ClassicControlVectorEnvs.CartPole(2);
        using var dqn = new Dqn(env, Small(1));
        dqn.Learn(96);
        string path = Path.Combine(_dir, "buffer.bin");
        dqn.SaveReplayBuffer(path);

        using var env2 = ClassicControlVectorEnvs.CartPole(2);
        using var other = new Dqn(env2, Small(2));
        other.LoadReplayBuffer(path);
        Assert.Equal(96, other.ReplayBuffer.Count);

        using var env3 = ClassicControlVectorEnvs.CartPole(2);
        using var bigger = new Dqn(env3, Small(2) with { BufferSize = 500 });
        var e = Assert.Throws<ModelFormatException>(() => bigger.LoadReplayBuffer(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("does not match", e.Message);
    }
}
