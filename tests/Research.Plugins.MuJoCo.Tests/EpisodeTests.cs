using System.Security.Cryptography;
using Research.Rl.Checking;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;

namespace Research.Plugins.MuJoCo.Tests;

/// <summary>Episodes as the registry makes them: TimeLimit truncation, determinism, saving and restoring state, EnvChecker, no allocation per step.</summary>
public sealed class EpisodeTests
{
    public static TheoryData<string> NeverTerminating() => new(["HalfCheetah-v4", "HumanoidStandup-v4", "Reacher-v4", "Pusher-v4", "Swimmer-v4"]);

    [Theory]
    [MemberData(nameof(NeverTerminating))]
    public void The_registry_s_TimeLimit_truncates_at_max_episode_steps(string id)
    {
        int limit = MuJoCoEnvs.Attribute(id).MaxEpisodeSteps;
        Assert.Equal(id is "Reacher-v4" ? 50 : id is "Pusher-v4" ? 100 : 1000, limit);
        using var env = MuJoCoEnvs.CreateLimited(id);
        var observation = new float[env.ObservationSpace.FlatSize];
        var action = new float[env.ActionSpace.FlatSize];
        env.Reset(observation, seed: 0);
        for (int t = 1; t <= limit; t++)
        {
            var outcome = env.Step(action, observation);
            Assert.False(outcome.Terminated);
            Assert.Equal(t == limit, outcome.Truncated);
        }
    }

    [Theory]
    [MemberData(nameof(MuJoCoEnvs.All), MemberType = typeof(MuJoCoEnvs))]
    public void The_same_seed_and_actions_give_the_same_episode_bit_for_bit(string id)
    {
        using var first = MuJoCoEnvs.Create(id);
        using var second = MuJoCoEnvs.Create(id);
        var actions = MuJoCoEnvs.Actions(first, 60, seed: 2);
        Assert.Equal(Trajectory(first, actions, seed: 9), Trajectory(second, actions, seed: 9));
    }

    // Two processes (or machines running the same libmujoco2.2.2 build) give these bytes; a change means lost determinism.
    [Theory]
    [InlineData("HalfCheetah-v4", "7d2929a5ebc616c5425bdd4b0fa6a777f1a2ad87265366d9e88acb17b2226dcd")]
    [InlineData("Humanoid-v4", "228789c76a6d818fad82c6fce07b84977cb54a8ed2350bbac64a8b46e41ae202")]
    public void Episodes_hash_to_the_bytes_every_process_gives(string id, string sha256)
    {
        using var env = MuJoCoEnvs.Create(id);
        var bytes = Trajectory(env, MuJoCoEnvs.Actions(env, 200, seed: 5), seed: 11);
        string actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.True(sha256 == actual, $"{id}: the episode hashes to {actual}, not {sha256}");
    }

    [Theory]
    [MemberData(nameof(MuJoCoEnvs.All), MemberType = typeof(MuJoCoEnvs))]
    public void EnvChecker_finds_nothing(string id)
    {
        var findings = EnvChecker.Check(() => MuJoCoEnvs.CreateLimited(id), new EnvCheckOptions { Seed = 4, MaxSteps = 300, CheckRender = false });
        Assert.Empty(findings);
    }

    [Theory]
    [MemberData(nameof(MuJoCoEnvs.All), MemberType = typeof(MuJoCoEnvs))]
    public void A_state_saved_after_reset_or_mid_episode_continues_bit_for_bit_in_a_new_instance(string id)
    {
        using var env = MuJoCoEnvs.Create(id);
        var actions = MuJoCoEnvs.Actions(env, 40, seed: 3);
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, seed: 6);
        var afterReset = Save(env);
        for (int t = 0; t < 15; t++)
            if (env.Step(actions[t], observation).Terminated) env.Reset(observation);
        var midEpisode = Save(env);
        var infoBefore = env.Info.ToDictionary();
        var expected = Continue(env, actions[15..]);

        using var restored = MuJoCoEnvs.Create(id);
        Restore(restored, midEpisode);
        Assert.Equal(infoBefore, restored.Info.ToDictionary());
        Assert.Equal(expected, Continue(restored, actions[15..]));

        using var fromReset = MuJoCoEnvs.Create(id);
        Restore(fromReset, afterReset);
        using var replay = MuJoCoEnvs.Create(id);
        replay.Reset(new float[replay.ObservationSpace.FlatSize], seed: 6);
        Assert.Equal(Continue(replay, actions), Continue(fromReset, actions));
    }

    [Fact]
    public void A_saved_state_is_refused_by_another_environment_or_model()
    {
        using var hopper = new HopperEnv();
        hopper.Reset(seed: 0);
        var state = Save(hopper);
        using var walker = new Walker2dEnv();
        var wrongEnv = Assert.Throws<InvalidDataException>(() => Restore(walker, state));
        Assert.Contains("Hopper-v4", wrongEnv.Message);

        using var ant = new AntEnv();
        ant.Reset(seed: 0);
        var antState = Save(ant);
        using var otherModel = new AntEnv(new AntOptions { XmlFile = Path.Combine(MuJoCoEnv.AssetsFolder, "humanoid.xml") });
        var wrongModel = Assert.Throws<InvalidDataException>(() => Restore(otherModel, antState));
        Assert.Contains("ant.xml", wrongModel.Message);
        Assert.Contains("humanoid.xml", wrongModel.Message);
    }

    [Fact]
    public void A_state_whose_last_step_does_not_replay_is_refused()
    {
        using var env = new HalfCheetahEnv();
        env.Reset(seed: 0);
        env.Step(new float[6]);
        var state = Save(env);
        // The saved current state begins with the time: change it, so that repeating the last substep disagrees.
        var corrupt = (byte[])state.Clone();
        BitConverter.TryWriteBytes(corrupt.AsSpan(FindTime(state, env.Data.Time)), 123.0);
        using var fresh = new HalfCheetahEnv();
        var error = Assert.Throws<InvalidDataException>(() => Restore(fresh, corrupt));
        Assert.Contains("did not reproduce", error.Message);
    }

    [Fact]
    public void VecNormalize_over_parallel_MuJoCo_envs_continues_bit_for_bit_from_a_checkpoint()
    {
        static VecNormalize Make() => new(new ParallelVectorEnv(_ => MuJoCoEnvs.CreateLimited("Hopper-v4"), 4, new ParallelVectorEnvOptions(MaxThreads: 2)));
        var random = new Random(1);
        var actions = Enumerable.Range(0, 80).Select(_ => Enumerable.Range(0, 4 * 3).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
        using var original = Make();
        original.Reset(seed: 10);
        for (int t = 0; t < 40; t++) original.Step(actions[t]);
        using var saved = new MemoryStream();
        using (var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true)) original.WriteState(writer);
        var expected = new List<float>();
        for (int t = 40; t < 80; t++)
        {
            original.Step(actions[t]);
            expected.AddRange(original.Observations);
            expected.AddRange(original.Rewards);
        }

        using var restored = Make();
        saved.Position = 0;
        using (var reader = new BinaryReader(saved)) restored.ReadState(reader);
        var actual = new List<float>();
        for (int t = 40; t < 80; t++)
        {
            restored.Step(actions[t]);
            actual.AddRange(restored.Observations);
            actual.AddRange(restored.Rewards);
        }
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(MuJoCoEnvs.All), MemberType = typeof(MuJoCoEnvs))]
    public void Steps_allocate_nothing(string id)
    {
        using var env = MuJoCoEnvs.CreateLimited(id);
        var observation = new float[env.ObservationSpace.FlatSize];
        var action = new float[env.ActionSpace.FlatSize];
        env.Reset(observation, seed: 0);
        for (int t = 0; t < 300; t++)
            if (env.Step(action, observation).Done) env.Reset(observation);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 200; t++)
            if (env.Step(action, observation).Done) env.Reset(observation);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{id}: 200 steps allocated {allocated} bytes");
    }

    private static byte[] Trajectory(MuJoCoEnv env, float[][] actions, int seed)
    {
        using var bytes = new MemoryStream();
        using var writer = new BinaryWriter(bytes);
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, seed: seed);
        foreach (var action in actions)
        {
            var outcome = env.Step(action, observation);
            foreach (float value in observation) writer.Write(value);
            writer.Write(outcome.Reward);
            writer.Write(outcome.Terminated);
            if (outcome.Terminated) env.Reset(observation);
        }
        writer.Flush();
        return bytes.ToArray();
    }

    private static List<string> Continue(MuJoCoEnv env, float[][] actions)
    {
        var log = new List<string>();
        var observation = new float[env.ObservationSpace.FlatSize];
        foreach (var action in actions)
        {
            var outcome = env.Step(action, observation);
            log.Add($"{string.Join(",", observation.Select(v => BitConverter.SingleToInt32Bits(v)))} {BitConverter.DoubleToInt64Bits(outcome.Reward)} {outcome.Terminated} " +
                    string.Join(",", env.Info.Select(p => $"{p.Key}={BitConverter.DoubleToInt64Bits((double)p.Value)}")));
            if (outcome.Terminated) env.Reset(observation);
        }
        return log;
    }

    private static byte[] Save(MuJoCoEnv env)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) env.WriteState(writer);
        return buffer.ToArray();
    }

    private static void Restore(MuJoCoEnv env, byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        env.ReadState(reader);
    }

    private static int FindTime(byte[] state, double time)
    {
        var pattern = BitConverter.GetBytes(time);
        for (int i = 0; i + 8 <= state.Length; i++)
            if (state.AsSpan(i, 8).SequenceEqual(pattern)) return i;
        throw new InvalidOperationException("time not found in the saved state");
    }
}
