using System.IO.Compression;
using System.Text.Json.Nodes;
using Research.Rl.Algorithms;

namespace Research.Plugins.OnPolicy.Tests;

public sealed class PersistenceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("algos-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static PpoOptions Small(int seed) => Envs.ZooPpoCartPole(seed) with { NEnvs = 2, NSteps = 16, BatchSize = 16, NEpochs = 2, TotalTimesteps = 10_000 };

    private static Dictionary<string, float[]> Weights(Ppo ppo) => ppo.GetPolicy().GetWeights();


    [Fact]
    public void Same_seed_gives_identical_weights_and_another_seed_does_not()
    {
        Dictionary<string, float[]> Run(int seed)
        {
            using var env = ClassicControlVectorEnvs.CartPole(2);
            using var ppo = new Ppo(env, Small(seed));
            ppo.Learn(200);
            return Weights(ppo);
        }
        var a = Run(3);
        WeightAssert.Same(a, Run(3));
        Assert.False(a["action_net.weight"].AsSpan().SequenceEqual(Run(4)["action_net.weight"]));
    }

    [Fact]
    public void Checkpoint_then_restore_into_a_new_object_continues_bit_for_bit()
    {
        using var straightEnv = ClassicControlVectorEnvs.CartPole(2);
        using var straight = new Ppo(straightEnv, Small(5));
        for (int i = 0; i < 6; i++) straight.Train();

        string checkpoint = Path.Combine(_dir, "ckpt");
        using (var firstEnv = ClassicControlVectorEnvs.CartPole(2))
        using (var first = new Ppo(firstEnv, Small(5)))
        {
            for (int i = 0; i < 3; i++) first.Train();
            first.SaveCheckpoint(checkpoint);
        }
        using var secondEnv = ClassicControlVectorEnvs.CartPole(2);
        using var second = new Ppo(secondEnv, Small(99));
        second.RestoreCheckpoint(checkpoint);
        Assert.Equal(3, second.Iteration);
        for (int i = 0; i < 3; i++) second.Train();

        WeightAssert.Same(Weights(straight), Weights(second));
        Assert.Equal(straight.NumTimesteps, second.NumTimesteps);
        Assert.Equal(straight.Episodes.EpisodesTotal, second.Episodes.EpisodesTotal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // gSDE: the exploration matrices are part of the checkpoint
    public void A2c_checkpoint_restores_rmsprop_state_bit_for_bit(bool useSde)
    {
        var options = new A2cOptions { Seed = 2, NEnvs = 2, UseSde = useSde };
        using var straightEnv = ClassicControlVectorEnvs.Pendulum(2);
        using var straight = new A2c(straightEnv, options);
        for (int i = 0; i < 8; i++) straight.Train();
        string checkpoint = Path.Combine(_dir, "a2c");
        using (var env = ClassicControlVectorEnvs.Pendulum(2))
        using (var first = new A2c(env, options))
        {
            for (int i = 0; i < 4; i++) first.Train();
            first.SaveCheckpoint(checkpoint);
            first.SaveCheckpoint(checkpoint);
        }
        using var secondEnv = ClassicControlVectorEnvs.Pendulum(2);
        using var second = new A2c(secondEnv, options with { Seed = 3 }); // the checkpoint, not the seed, decides what follows
        second.RestoreCheckpoint(checkpoint);
        for (int i = 0; i < 4; i++) second.Train();
        WeightAssert.Same(straight.GetPolicy().GetWeights(), second.GetPolicy().GetWeights());
    }

    [Fact]
    public void Save_then_load_predicts_identically_with_and_without_env()
    {
        using var env = ClassicControlVectorEnvs.CartPole(2);
        using var ppo = new Ppo(env, Small(1));
        ppo.Learn(300);
        string path = Path.Combine(_dir, "model.zip");
        ppo.Save(path);

        using var loaded = Ppo.Load(path);
        Assert.Null(loaded.GetEnv());
        Assert.Equal(ppo.NumTimesteps, loaded.NumTimesteps);
        Assert.Equal(ppo.Options.NSteps, loaded.Options.NSteps);
        Assert.Equal("lin_0.001", loaded.Options.LearningRate.Text);
        var rng = new Random(0);
        var observations = new float[50 * 4];
        for (int k = 0; k < observations.Length; k++) observations[k] = (float)(rng.NextDouble() - 0.5);
        var expected = new float[50];
        var actual = new float[50];
        ppo.Predict(observations, 50, expected, deterministic: true);
        loaded.Predict(observations, 50, actual, deterministic: true);
        Assert.Equal(expected, actual);
        Assert.Equal(ppo.ActionProbability(observations, 50), loaded.ActionProbability(observations, 50));

        using var env2 = ClassicControlVectorEnvs.CartPole(2);
        using var withEnv = Ppo.Load(path, env2);
        withEnv.Learn(64, resetNumTimesteps: false);
        Assert.Equal(ppo.NumTimesteps + 64, withEnv.NumTimesteps);
    }

    [Fact]
    public void Model_zip_holds_numpy_readable_entries()
    {
        using var env = ClassicControlVectorEnvs.CartPole(2);
        using var ppo = new Ppo(env, Small(1));
        string path = Path.Combine(_dir, "model.zip");
        ppo.Save(path);
        using var zip = ZipFile.OpenRead(path);
        Assert.Equal(["data.json", "policy.npz", "optimizer.npz"], zip.Entries.Select(e => e.FullName));
        var data = JsonNode.Parse(zip.GetEntry("data.json")!.Open())!;
        Assert.Equal("PPO", (string?)data["algorithm"]);
        Assert.Equal("Discrete", (string?)data["action_space"]!["type"]);
        Assert.Equal(16, (int?)data["options"]!["n_steps"]);
    }

    [Fact]
    public void Bad_model_files_fail_naming_the_file_and_the_reason()
    {
        using var env = ClassicControlVectorEnvs.CartPole(2);
        using var ppo = new Ppo(env, Small(1));
        string good = Path.Combine(_dir, "model.zip");
        ppo.Save(good);

        string missing = Path.Combine(_dir, "nothing.zip");
        Assert.Contains("no such model file", Assert.Throws<ModelFormatException>(() => Ppo.Load(missing)).Message);

        string notZip = Path.Combine(_dir, "text.zip");
        File.WriteAllText(notZip, "hello");
        var e1 = Assert.Throws<ModelFormatException>(() => Ppo.Load(notZip));
        Assert.Contains(notZip, e1.Message);
        Assert.Contains("not a model file", e1.Message);

        string noPolicy = Rewrite(good, "nopolicy.zip", zip => zip.GetEntry("policy.npz")!.Delete());
        Assert.Contains("missing section 'policy.npz'", Assert.Throws<ModelFormatException>(() => Ppo.Load(noPolicy)).Message);

        string dqn = Rewrite(good, "dqn.zip", zip => EditData(zip, d => d["algorithm"] = "DQN"));
        Assert.Contains("dqn.zip was saved by DQN, not PPO", Assert.Throws<ModelFormatException>(() => Ppo.Load(dqn)).Message);
        Assert.Contains("saved by PPO, not A2C", Assert.Throws<ModelFormatException>(() => A2c.Load(good)).Message);

        string newer = Rewrite(good, "newer.zip", zip => EditData(zip, d => d["format_version"] = 99));
        Assert.Contains("format version 99 is newer", Assert.Throws<ModelFormatException>(() => Ppo.Load(newer)).Message);

        string corrupt = Rewrite(good, "corrupt.zip", zip =>
        {
            var entry = zip.GetEntry("policy.npz")!;
            byte[] bytes;
            using (var s = entry.Open()) { using var m = new MemoryStream(); s.CopyTo(m); bytes = m.ToArray(); }
            entry.Delete();
            bytes[bytes.Length / 2] ^= 0xFF;
            using var w = zip.CreateEntry("policy.npz").Open();
            w.Write(bytes);
        });
        var e2 = Assert.Throws<ModelFormatException>(() => Ppo.Load(corrupt));
        Assert.Contains("section 'policy.npz' is corrupt", e2.Message);

        using var pendulum = ClassicControlVectorEnvs.Pendulum(1);
        var e3 = Assert.Throws<ModelFormatException>(() => Ppo.Load(good, pendulum));
        Assert.Contains("does not match the environment", e3.Message);
    }

    private string Rewrite(string source, string name, Action<ZipArchive> edit)
    {
        string path = Path.Combine(_dir, name);
        File.Copy(source, path, overwrite: true);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        edit(zip);
        return path;
    }

    private static void EditData(ZipArchive zip, Action<JsonNode> edit)
    {
        var entry = zip.GetEntry("data.json")!;
        JsonNode data;
        using (var s = entry.Open()) data = JsonNode.Parse(s)!;
        entry.Delete();
        edit(data);
        using var w = new StreamWriter(zip.CreateEntry("data.json").Open());
        w.Write(data.ToJsonString());
    }
}
