using System.IO.Compression;
using Research.Abstractions.Spaces;
using Research.Plugins.ClassicControl;
using Research.Rl.Algorithms;
using Research.Rl.Callbacks;
using Research.Rl.Evaluation;
using Research.Rl.Policies;
using Research.Rl.Wrappers;
using Research.Tensors;
using Research.Tensors.Io;

namespace Research.Plugins.OnPolicy.Tests;

/// <summary>PPO and A2C with generalized state-dependent exploration (<c>use_sde</c>).</summary>
public sealed class GsdeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gsde-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static PpoOptions Small(int seed, int sampleFreq = 3, bool fullStd = true) => Envs.ZooPpoPendulum(seed) with
    {
        NEnvs = 2, NSteps = 16, BatchSize = 8, NEpochs = 2, SdeSampleFreq = sampleFreq, PolicyKwargs = new() { FullStd = fullStd, UseExpln = !fullStd },
    };

    private static StateDependentNoise Noise(Ppo algorithm) => ((ActorCriticPolicy)algorithm.Policy).Noise!;

    [Fact]
    public void Ppo_with_zoo_gsde_settings_swings_pendulum_up_within_32k_steps()
    {
        // Measured (Release, `research bench --timesteps 32768`): seeds 0/1/2 → −163 / −158 / −180 over 20 episodes; an untrained
        // policy scores about −1300, and 16k steps reach −676 / −427 / −747.
        using var env = ClassicControlVectorEnvs.Pendulum(4);
        using var ppo = new Ppo(env, Envs.ZooPpoPendulum(0));
        ppo.Learn(32_768);
        double mean = PolicyEvaluation.EvaluatePolicy(ppo.Predict, new TimeLimit(new PendulumEnv(), 200), 10, deterministic: true, seed: 1000).MeanReward;
        Assert.True(mean > -300, $"mean deterministic return {mean} ≤ -300");
    }

    [Fact]
    public void Use_sde_with_a_discrete_action_space_is_refused_naming_the_option_and_the_space()
    {
        using var env = ClassicControlVectorEnvs.CartPole(1);
        var e = Assert.Throws<UnsupportedSpaceException>(() => new Ppo(env, new PpoOptions { UseSde = true }));
        Assert.Contains("use_sde=true", e.Message);
        Assert.Contains("Discrete(2)", e.Message);
        Assert.Throws<UnsupportedSpaceException>(() => new A2c(env, new A2cOptions { UseSde = true }));

        using var pendulum = ClassicControlVectorEnvs.Pendulum(1);
        var squash = Assert.Throws<NotSupportedException>(() => new Ppo(pendulum, new PpoOptions { UseSde = true, PolicyKwargs = new() { SquashOutput = true } }));
        Assert.Contains("squash_output=true", squash.Message);
    }

    [Fact]
    public void Log_std_is_latent_by_actions_with_full_std_else_latent_by_one()
    {
        var observations = new Box(-1, 1, [3]);
        var actions = new Box(-1, 1, [2]);
        var full = new ActorCriticPolicy(observations, actions, new PolicyOptions { LogStdInit = -2 }, new Generator(0), "PPO", useSde: true);
        Assert.Equal([64, 2], full.LogStd!.Shape.ToArray());
        Assert.All(full.LogStd.ToArray(), v => Assert.Equal(-2f, v));
        Assert.Contains("log_std", full.GetWeights().Keys);
        var shared = new ActorCriticPolicy(observations, actions, new PolicyOptions { FullStd = false, NetArch = new() { Pi = [32], Vf = [16] } }, new Generator(0), "PPO", useSde: true);
        Assert.Equal([32, 1], shared.LogStd!.Shape.ToArray());
        var plain = new ActorCriticPolicy(observations, actions, new PolicyOptions(), new Generator(0), "PPO");
        Assert.Equal([2], plain.LogStd!.Shape.ToArray());
        Assert.Null(plain.Noise);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    public void Exploration_matrices_are_redrawn_at_each_rollout_and_every_sde_sample_freq_steps(int sampleFreq)
    {
        using var env = ClassicControlVectorEnvs.Pendulum(2);
        using var ppo = new Ppo(env, Small(0, sampleFreq) with { NSteps = 4 });
        var snapshots = new List<byte[]>();
        ppo.Learn(16, new LambdaCallback(onStep: _ =>
        {
            var stream = new MemoryStream();
            Noise(ppo).WriteState(new BinaryWriter(stream));
            snapshots.Add(stream.ToArray());
            return true;
        }));
        Assert.Equal(8, snapshots.Count);
        Assert.All(snapshots, s => Assert.Equal(4 + 3 * 64 * 4, s.Length));
        for (int step = 1; step < snapshots.Count; step++)
        {
            int inRollout = step % 4;
            bool redrawn = inRollout == 0 || (sampleFreq > 0 && inRollout % sampleFreq == 0);
            Assert.Equal(!redrawn, snapshots[step].AsSpan().SequenceEqual(snapshots[step - 1]));
        }
    }

    [Fact]
    public void Stochastic_predictions_are_a_function_of_the_state_until_the_noise_is_reset()
    {
        using var env = ClassicControlVectorEnvs.Pendulum(1);
        using var ppo = new Ppo(env, new PpoOptions { Seed = 0, UseSde = true, PolicyKwargs = new() { LogStdInit = -2 } });
        float[] observation = [0.6f, 0.8f, -0.3f], first = new float[1], second = new float[1], mode = new float[1];
        ppo.Predict(observation, first);
        ppo.Predict(observation, second);
        ppo.Predict(observation, mode, deterministic: true);
        Assert.Equal(first, second);
        Assert.NotEqual(first, mode);
        ((ActorCriticPolicy)ppo.Policy).ResetNoise(1);
        ppo.Predict(observation, second);
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(-1, true)]
    [InlineData(3, false)]
    public void Checkpoint_then_restore_continues_bit_for_bit(int sampleFreq, bool fullStd)
    {
        using var straightEnv = ClassicControlVectorEnvs.Pendulum(2);
        using var straight = new Ppo(straightEnv, Small(5, sampleFreq, fullStd));
        for (int i = 0; i < 6; i++) straight.Train();

        // Stochastic predictions of both envs' rows use the exploration matrices of the last rollout, so right after a
        // restore they show whether the matrices came back (the next rollout redraws them either way).
        float[] observations = [0.6f, 0.8f, -0.3f, -0.9f, 0.1f, 2f], atCheckpoint = new float[2], afterRestore = new float[2];
        string checkpoint = Path.Combine(_dir, "ckpt");
        using (var firstEnv = ClassicControlVectorEnvs.Pendulum(2))
        using (var first = new Ppo(firstEnv, Small(5, sampleFreq, fullStd)))
        {
            for (int i = 0; i < 3; i++) first.Train();
            first.SaveCheckpoint(checkpoint);
            first.Predict(observations, 2, atCheckpoint);
        }
        using var secondEnv = ClassicControlVectorEnvs.Pendulum(2);
        using var second = new Ppo(secondEnv, Small(99, sampleFreq, fullStd));
        second.RestoreCheckpoint(checkpoint);
        second.Predict(observations, 2, afterRestore);
        Assert.Equal(atCheckpoint, afterRestore);
        for (int i = 0; i < 3; i++) second.Train();

        WeightAssert.Same(straight.GetPolicy().GetWeights(), second.GetPolicy().GetWeights());
        Assert.Equal(straight.NumTimesteps, second.NumTimesteps);
    }

    [Fact]
    public void Save_then_load_round_trips_the_gsde_log_std_and_options()
    {
        using var env = ClassicControlVectorEnvs.Pendulum(2);
        using var ppo = new Ppo(env, Small(1, fullStd: false));
        ppo.Learn(64);
        string path = Path.Combine(_dir, "model.zip");
        ppo.Save(path);

        using (var zip = ZipFile.OpenRead(path))
        using (var stream = zip.GetEntry(ModelArchive.PolicyEntry)!.Open())
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            string file = Path.Combine(_dir, "policy.npz");
            File.WriteAllBytes(file, copy.ToArray());
            Assert.Equal([64, 1], NpzArchive.Read(file)["log_std"].Shape.ToArray());
        }

        using var loaded = Ppo.Load(path);
        Assert.True(loaded.Options.UseSde);
        Assert.Equal(3, loaded.Options.SdeSampleFreq);
        Assert.False(loaded.Options.PolicyKwargs.FullStd);
        Assert.True(loaded.Options.PolicyKwargs.UseExpln);
        WeightAssert.Same(ppo.GetPolicy().GetWeights(), loaded.GetPolicy().GetWeights());
        var rng = new Random(0);
        var observations = new float[20 * 3];
        for (int k = 0; k < observations.Length; k++) observations[k] = (float)(rng.NextDouble() * 2 - 1);
        float[] expected = new float[20], actual = new float[20];
        ppo.Predict(observations, 20, expected, deterministic: true);
        loaded.Predict(observations, 20, actual, deterministic: true);
        Assert.Equal(expected, actual);
        Assert.Equal(ppo.ActionProbability(observations, 20), loaded.ActionProbability(observations, 20));
    }

    [Fact]
    public void Predict_with_gsde_allocates_nothing_after_warm_up()
    {
        using var env = ClassicControlVectorEnvs.Pendulum(2);
        using var ppo = new Ppo(env, new PpoOptions { Seed = 0, UseSde = true, SdeSampleFreq = 4 });
        ((ActorCriticPolicy)ppo.Policy).ResetNoise(2);
        float[] observation = [1f, 0f, 0.5f], observations = [1f, 0f, 0.5f, 0f, 1f, -0.5f], action = new float[1], actions = new float[2];
        for (int i = 0; i < 10; i++)
        {
            ppo.Predict(observation, action, deterministic: i % 2 == 0);
            ppo.Predict(observations, 2, actions, deterministic: i % 2 == 0);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            ppo.Predict(observation, action, deterministic: i % 2 == 0);
            ppo.Predict(observations, 2, actions, deterministic: i % 2 == 0);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.InRange(action[0], -2f, 2f);
    }
}
