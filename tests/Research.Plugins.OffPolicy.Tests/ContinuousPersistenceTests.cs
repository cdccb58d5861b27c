using System.IO.Compression;
using System.Text.Json.Nodes;
using Research.Rl.Algorithms;
using Research.Rl.Callbacks;
using Research.Rl.Noise;
using Research.Rl.Policies;
using Research.Tensors.Io;
using Research.Tensors.Nn;

namespace Research.Plugins.OffPolicy.Tests;

/// <summary>Seeds, checkpoints, model files and replay-buffer files of SAC, TD3 and DDPG.</summary>
public sealed class ContinuousPersistenceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("continuous-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static NetArchOptions Arch(params int[] sizes) => new() { Pi = sizes, Vf = sizes, Qf = sizes };

    /// <summary>Small settings that cover warm-up, several updates per iteration, target updates and (where set) noise resets.</summary>
    internal static SacOptions SmallSac(int seed, bool sde = true) => new()
    {
        Seed = seed, NEnvs = 2, LearningStarts = 40, TrainFreq = 8, GradientSteps = 4, BatchSize = 16, LearningRate = 3e-3,
        UseSde = sde, SdeSampleFreq = sde ? 5 : -1, NoiseType = ActionNoiseType.OrnsteinUhlenbeck, NoiseStd = 0.3,
        PolicyKwargs = new SacOptions().PolicyKwargs with { NetArch = Arch(32, 32) },
    };

    internal static Td3Options SmallTd3(int seed) => new()
    {
        Seed = seed, NEnvs = 2, LearningStarts = 40, TrainFreq = 8, GradientSteps = 5, BatchSize = 16, NoiseType = ActionNoiseType.Normal, NoiseStd = 0.2,
        PolicyKwargs = new Td3Options().PolicyKwargs with { NetArch = Arch(32, 32) },
    };

    internal static DdpgOptions SmallDdpg(int seed) => new()
    {
        Seed = seed, NEnvs = 2, LearningStarts = 40, TrainFreq = 8, GradientSteps = 4, BatchSize = 16, NoiseType = ActionNoiseType.OrnsteinUhlenbeck,
        ParamNoise = new ParamNoiseOptions { InitialStddev = 0.2, DesiredActionStddev = 0.2 }, ParamNoiseAdaptionInterval = 3,
        PolicyKwargs = new DdpgOptions().PolicyKwargs with { NetArch = Arch(32, 32), LayerNorm = true },
    };

    public static TheoryData<string> Algorithms => new() { "SAC", "SAC-gaussian", "TD3", "DDPG" };

    private static Research.Abstractions.Algorithms.IAlgorithm Create(string name, int seed, Research.Rl.VectorEnvs.IVectorEnv env) => name switch
    {
        "SAC" => new Sac(env, SmallSac(seed)),
        "SAC-gaussian" => new Sac(env, SmallSac(seed, sde: false)),
        "TD3" => new Td3(env, SmallTd3(seed)),
        _ => new Ddpg(env, SmallDdpg(seed)),
    };

    private static Dictionary<string, float[]> Weights(Research.Abstractions.Algorithms.IAlgorithm algorithm) => algorithm switch
    {
        Sac sac => sac.GetPolicy().GetWeights(),
        Td3 td3 => td3.GetPolicy().GetWeights(),
        Ddpg ddpg => ddpg.GetPolicy().GetWeights(),
        _ => throw new ArgumentException(algorithm.Name),
    };

    /// <summary>Everything beyond the weights a continued run must reproduce: α, the noise processes, σ of the parameter noise, counters.</summary>
    private static string State(Research.Abstractions.Algorithms.IAlgorithm algorithm)
    {
        string noise(VectorizedActionNoise? n) => n is null ? "" : string.Join(";", Enumerable.Range(0, n.Count)
            .Select(i => n[i] is OrnsteinUhlenbeckActionNoise ou ? string.Join(",", ou.Current.ToArray()) : "normal"));
        return algorithm switch
        {
            Sac sac => $"{sac.NumTimesteps} {sac.EntCoef:R} {noise(sac.ActionNoise)} {sac.ReplayBuffer.Count} {sac.Episodes.EpisodesTotal}",
            Td3 td3 => $"{td3.NumTimesteps} {noise(td3.ActionNoise)} {td3.ReplayBuffer.Count} {td3.Episodes.EpisodesTotal}",
            Ddpg ddpg => $"{ddpg.NumTimesteps} {noise(ddpg.ActionNoise)} {ddpg.ParameterNoise!.Spec.CurrentStddev:R} {ddpg.ReplayBuffer.Count} {ddpg.Episodes.EpisodesTotal}",
            _ => throw new ArgumentException(algorithm.Name),
        };
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Same_seed_gives_identical_weights_and_another_seed_does_not(string name)
    {
        Dictionary<string, float[]> Run(int seed)
        {
            using var env = BoxEnv.Vector(2);
            using var algorithm = Create(name, seed, env);
            algorithm.Learn(160);
            return Weights(algorithm);
        }
        var a = Run(3);
        WeightAssert.Same(a, Run(3));
        var b = Run(4);
        Assert.Contains(a.Keys, key => !a[key].AsSpan().SequenceEqual(b[key]));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Checkpoint_mid_learn_then_restore_into_a_new_object_continues_bit_for_bit(string name)
    {
        // 240 steps: the environments' episodes (30 and 37 steps) end at different times, so noise resets and (DDPG) perturbations happen on both sides of the checkpoint.
        const int total = 240;
        using var straightEnv = BoxEnv.Vector(2);
        using var straight = Create(name, 5, straightEnv);
        straight.Learn(total);

        string checkpoint = Path.Combine(_dir, "ckpt");
        using (var firstEnv = BoxEnv.Vector(2))
        using (var first = Create(name, 5, firstEnv))
        {
            first.Learn(total, new LambdaCallback(onIterationEnd: (a, _) => a.Iteration < 7));
            Assert.Equal(7 * 16, first.NumTimesteps);
            first.SaveCheckpoint(checkpoint);
        }
        Assert.True(File.Exists(Path.Combine(checkpoint, OffPolicyAlgorithm<SacOptions>.ReplayBufferFile)));

        using var secondEnv = BoxEnv.Vector(2);
        using var second = Create(name, 99, secondEnv);
        second.RestoreCheckpoint(checkpoint);
        Assert.Equal(7, second.Iteration);
        second.Learn(total - second.NumTimesteps, resetNumTimesteps: false);

        WeightAssert.Same(Weights(straight), Weights(second));
        Assert.Equal(State(straight), State(second));
    }

    [Fact]
    public void Sac_save_then_load_predicts_identically_with_sb3_names_and_alpha()
    {
        using var env = BoxEnv.Vector(2);
        using var sac = new Sac(env, SmallSac(1, sde: false));
        sac.Learn(120);
        string path = Path.Combine(_dir, "sac.zip");
        sac.Save(path);

        using var loaded = Sac.Load(path);
        Assert.Null(loaded.GetEnv());
        Assert.Equal(sac.EntCoef, loaded.EntCoef);
        Assert.NotEqual(1.0, loaded.EntCoef);
        WeightAssert.Same(sac.GetPolicy().GetWeights(), loaded.GetPolicy().GetWeights());
        AssertPredictsAlike(sac, loaded);

        using var zip = ZipFile.OpenRead(path);
        var data = JsonNode.Parse(zip.GetEntry("data.json")!.Open())!;
        Assert.Equal("SAC", (string?)data["algorithm"]);
        Assert.Equal(Math.Log(sac.EntCoef), (double)data["log_ent_coef"]!, 6);
        Assert.Equal(
            ["actor.latent_pi.0.weight", "actor.latent_pi.0.bias", "actor.latent_pi.2.weight", "actor.latent_pi.2.bias", "actor.mu.weight", "actor.mu.bias",
             "actor.log_std.weight", "actor.log_std.bias",
             "critic.qf0.0.weight", "critic.qf0.0.bias", "critic.qf0.2.weight", "critic.qf0.2.bias", "critic.qf0.4.weight", "critic.qf0.4.bias",
             "critic.qf1.0.weight", "critic.qf1.0.bias", "critic.qf1.2.weight", "critic.qf1.2.bias", "critic.qf1.4.weight", "critic.qf1.4.bias",
             "critic_target.qf0.0.weight", "critic_target.qf0.0.bias", "critic_target.qf0.2.weight", "critic_target.qf0.2.bias", "critic_target.qf0.4.weight", "critic_target.qf0.4.bias",
             "critic_target.qf1.0.weight", "critic_target.qf1.0.bias", "critic_target.qf1.2.weight", "critic_target.qf1.2.bias", "critic_target.qf1.4.weight", "critic_target.qf1.4.bias"],
            sac.GetPolicy().GetWeights().Keys);
        var optimizer = ReadEntry(zip, "optimizer.npz");
        Assert.Contains("actor.optimizer/step", optimizer.Names);
        Assert.Contains("critic.optimizer/0.exp_avg", optimizer.Names);
        Assert.Contains("ent_coef_optimizer/0.exp_avg_sq", optimizer.Names);

        using var env2 = BoxEnv.Vector(2);
        using var withEnv = Sac.Load(path, env2);
        withEnv.Learn(48, resetNumTimesteps: false);
        Assert.Equal(sac.NumTimesteps + 48, withEnv.NumTimesteps);
    }

    [Fact]
    public void Td3_and_ddpg_save_then_load_predict_identically_with_sb3_names()
    {
        using var env = BoxEnv.Vector(2);
        using var td3 = new Td3(env, SmallTd3(1));
        td3.Learn(120);
        string path = Path.Combine(_dir, "td3.zip");
        td3.Save(path);
        using var loadedTd3 = Td3.Load(path);
        AssertPredictsAlike(td3, loadedTd3);
        Assert.Equal(
            ["actor.mu.0.weight", "actor.mu.0.bias", "actor.mu.2.weight", "actor.mu.2.bias", "actor.mu.4.weight", "actor.mu.4.bias",
             "actor_target.mu.0.weight", "actor_target.mu.0.bias", "actor_target.mu.2.weight", "actor_target.mu.2.bias", "actor_target.mu.4.weight", "actor_target.mu.4.bias"],
            td3.GetPolicy().GetWeights().Keys.Where(k => k.StartsWith("actor", StringComparison.Ordinal)));
        Assert.Equal(6, td3.GetPolicy().GetWeights().Keys.Count(k => k.StartsWith("critic.qf1.", StringComparison.Ordinal)));

        using var env2 = BoxEnv.Vector(2);
        using var ddpg = new Ddpg(env2, SmallDdpg(1));
        ddpg.Learn(120);
        string ddpgPath = Path.Combine(_dir, "ddpg.zip");
        ddpg.Save(ddpgPath);
        using var loadedDdpg = Ddpg.Load(ddpgPath);
        AssertPredictsAlike(ddpg, loadedDdpg);
        // One critic, and layer normalisation named as PyTorch's nn.LayerNorm between each linear layer and its activation.
        Assert.DoesNotContain(ddpg.GetPolicy().GetWeights().Keys, k => k.StartsWith("critic.qf1.", StringComparison.Ordinal));
        Assert.Contains("actor.mu.1.weight", ddpg.GetPolicy().GetWeights().Keys);
        Assert.Contains("critic.qf0.4.bias", ddpg.GetPolicy().GetWeights().Keys);
        Assert.Equal(ddpg.ParameterNoise!.Spec.CurrentStddev, loadedDdpg.ParameterNoise!.Spec.CurrentStddev);
        Assert.NotEqual(0.2, loadedDdpg.ParameterNoise.Spec.CurrentStddev);
    }

    [Fact]
    public void Replay_buffer_saves_and_loads_and_files_of_other_spaces_or_truncated_are_refused_naming_the_file()
    {
        using var env = BoxEnv.Vector(2);
        using var sac = new Sac(env, SmallSac(1));
        sac.Learn(96);
        string path = Path.Combine(_dir, "buffer.bin");
        sac.SaveReplayBuffer(path);
        Assert.False(Directory.EnumerateFiles(_dir, "*.tmp").Any());

        using var env2 = BoxEnv.Vector(2);
        using var other = new Td3(env2, SmallTd3(2));
        other.LoadReplayBuffer(path);
        Assert.Equal(96, other.ReplayBuffer.Count);
        other.Learn(16, resetNumTimesteps: false);

        // A buffer of other spaces (Pendulum: 3 observations, 1 action).
        using var pendulum = ClassicControlVectorEnvs.Pendulum(2);
        using var td3 = new Td3(pendulum, SmallTd3(2));
        var e = Assert.Throws<ModelFormatException>(() => td3.LoadReplayBuffer(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("does not match", e.Message);

        string truncated = Path.Combine(_dir, "truncated.bin");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var before = other.ReplayBuffer.Count;
        e = Assert.Throws<ModelFormatException>(() => other.LoadReplayBuffer(truncated));
        Assert.Contains(truncated, e.Message);
        Assert.Equal(before, other.ReplayBuffer.Count);
    }

    private static void AssertPredictsAlike<TOptions>(AlgorithmBase<TOptions> trained, AlgorithmBase<TOptions> loaded) where TOptions : Research.Abstractions.Options.AlgorithmOptions
    {
        var rng = new Random(0);
        var observations = new float[20 * 3];
        for (int k = 0; k < observations.Length; k++) observations[k] = (float)(rng.NextDouble() - 0.5);
        var expected = new float[20 * 2];
        var actual = new float[20 * 2];
        trained.Predict(observations, 20, expected, deterministic: true);
        loaded.Predict(observations, 20, actual, deterministic: true);
        Assert.Equal(expected, actual);
        for (int k = 0; k < expected.Length; k += 2)
        {
            Assert.InRange(expected[k], -2f, 2f);
            Assert.InRange(expected[k + 1], -1f, 3f);
        }
    }

    private static NpzArchive ReadEntry(ZipArchive zip, string entry)
    {
        string scratch = Path.Combine(Path.GetTempPath(), $"entry-{Guid.NewGuid():N}.npz");
        try
        {
            using (var source = zip.GetEntry(entry)!.Open())
            using (var target = File.Create(scratch))
                source.CopyTo(target);
            return NpzArchive.Read(scratch);
        }
        finally
        {
            File.Delete(scratch);
        }
    }
}
