using Research.Rl.Buffers;

namespace Research.Rl.Tests.Buffers;

public sealed class ReplayBufferTests
{
    private static readonly bool[] No = [false];

    // Transition i: obs = i, next obs = i + 1, action = 10 i, reward = 100 i.
    private static void AddChain(ReplayBuffer buffer, int from, int count)
    {
        for (int i = from; i < from + count; i++)
            buffer.Add([i], [i + 1], [10 * i], [100 * i], No, No);
    }

    private static List<(float Obs, float Next, float Action, float Reward, float Done)> Draw(ReplayBuffer buffer, long seed, int n = 200)
    {
        var batch = new ReplayBatch(n, 1, 1);
        buffer.Sample(batch, new SplitMix64Random(seed));
        return Enumerable.Range(0, n)
            .Select(k => (batch.Observations[k], batch.NextObservations[k], batch.Actions[k], batch.Rewards[k], batch.Dones[k])).ToList();
    }

    [Fact]
    public void The_buffer_wraps_around_and_keeps_the_newest_transitions()
    {
        var buffer = new ReplayBuffer(new ReplayBufferOptions(3, 1, 1));
        AddChain(buffer, 0, 2);
        Assert.Equal((2, false, 2), (buffer.Position, buffer.IsFull, buffer.Count));
        Assert.Equal([0f, 1f], Draw(buffer, 1).Select(t => t.Obs).Distinct().Order());
        AddChain(buffer, 2, 3);
        Assert.Equal((2, true, 3), (buffer.Position, buffer.IsFull, buffer.Count));
        var drawn = Draw(buffer, 2);
        Assert.Equal([2f, 3f, 4f], drawn.Select(t => t.Obs).Distinct().Order());
        Assert.All(drawn, t => Assert.Equal((t.Obs + 1, 10 * t.Obs, 100 * t.Obs), (t.Next, t.Action, t.Reward)));
    }

    [Fact]
    public void Slots_per_env_are_buffer_size_over_n_envs_and_envs_are_sampled_too()
    {
        var buffer = new ReplayBuffer(new ReplayBufferOptions(10, 1, 1, NumEnvs: 3));
        Assert.Equal(3, buffer.Capacity);
        buffer.Add([1, 2, 3], [0, 0, 0], [0, 0, 0], [0, 0, 0], new bool[3], new bool[3]);
        Assert.Equal([1f, 2f, 3f], Draw(buffer, 4).Select(t => t.Obs).Distinct().Order());
        Assert.Equal(1, new ReplayBuffer(new ReplayBufferOptions(2, 1, 1, NumEnvs: 4)).Capacity);
    }

    [Fact]
    public void Optimized_memory_gives_the_same_samples_before_it_is_full()
    {
        var plain = new ReplayBuffer(new ReplayBufferOptions(8, 1, 1, HandleTimeoutTermination: false));
        var optimized = new ReplayBuffer(new ReplayBufferOptions(8, 1, 1, OptimizeMemoryUsage: true, HandleTimeoutTermination: false));
        AddChain(plain, 0, 5);
        AddChain(optimized, 0, 5);
        Assert.Equal(Draw(plain, 9), Draw(optimized, 9));
    }

    [Fact]
    public void Optimized_memory_never_samples_the_slot_being_overwritten_once_full()
    {
        var optimized = new ReplayBuffer(new ReplayBufferOptions(4, 1, 1, OptimizeMemoryUsage: true, HandleTimeoutTermination: false));
        AddChain(optimized, 0, 6); // slots now hold obs 4, 5, 6(next of 5), 3; position 2
        var drawn = Draw(optimized, 3, 400);
        Assert.Equal([3f, 4f, 5f], drawn.Select(t => t.Obs).Distinct().Order());
        Assert.All(drawn, t => Assert.Equal(t.Obs + 1, t.Next));
    }

    [Fact]
    public void Optimized_memory_with_timeout_handling_is_refused_as_in_sb3()
    {
        var error = Assert.Throws<ArgumentException>(() => new ReplayBuffer(new ReplayBufferOptions(4, 1, 1, OptimizeMemoryUsage: true)));
        Assert.Contains("handle_timeout_termination", error.Message);
    }

    [Fact]
    public void Timeouts_store_done_for_bootstrapping_only_when_handled()
    {
        foreach (bool handle in new[] { true, false })
        {
            var buffer = new ReplayBuffer(new ReplayBufferOptions(4, 1, 1, NumEnvs: 4, HandleTimeoutTermination: handle));
            var env = new FakeVectorEnv(4, 1);
            // env 0 runs on, env 1 terminated, env 2 was cut by the time limit, env 3 both.
            env.Observations.AsSpan().Fill(50);
            float[] terminal = [0, 11, 12, 13];
            terminal.CopyTo(env.TerminalObservations, 0);
            env.Terminated[1] = env.Terminated[3] = true;
            env.Truncated[2] = env.Truncated[3] = true;
            env.Rewards.AsSpan().Fill(1);
            buffer.Add([0, 1, 2, 3], [0, 0, 0, 0], env);

            var byObs = Draw(buffer, 5, 300).DistinctBy(t => t.Obs).ToDictionary(t => t.Obs);
            Assert.Equal(4, byObs.Count);
            Assert.Equal((50f, 0f), (byObs[0].Next, byObs[0].Done));
            Assert.Equal((11f, 1f), (byObs[1].Next, byObs[1].Done));
            Assert.Equal((12f, handle ? 0f : 1f), (byObs[2].Next, byObs[2].Done));
            Assert.Equal((13f, 1f), (byObs[3].Next, byObs[3].Done));
        }
    }

    [Fact]
    public void Bad_input_is_refused_with_the_reason()
    {
        var buffer = new ReplayBuffer(new ReplayBufferOptions(4, 2, 1));
        Assert.Throws<InvalidOperationException>(() => buffer.Sample(new ReplayBatch(2, 2, 1), new SplitMix64Random(0)));
        var wrongObs = Assert.Throws<ArgumentException>(() => buffer.Add([1], [1, 2], [0], [0], No, No));
        Assert.Contains("observations has 1 elements; expected 2", wrongObs.Message);
        Assert.Throws<ArgumentException>(() => buffer.Sample(new ReplayBatch(2, 3, 1), new SplitMix64Random(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayBuffer(new ReplayBufferOptions(0, 2, 1)));
        Assert.Contains("2 environments", Assert.Throws<ArgumentException>(() => buffer.Add([0, 0], [0], new FakeVectorEnv(2, 2))).Message);
    }

    [Fact]
    public void Add_and_sample_allocate_nothing_after_warm_up()
    {
        var buffer = new ReplayBuffer(new ReplayBufferOptions(64, 4, 2, NumEnvs: 2));
        var env = new FakeVectorEnv(2, 4);
        var obs = new float[8];
        var actions = new float[4];
        var batch = new ReplayBatch(32, 4, 2);
        var random = new SplitMix64Random(1);
        buffer.Add(obs, actions, env);
        buffer.Sample(batch, random);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            buffer.Add(obs, actions, env);
            buffer.Add(obs, env.Observations, actions, env.Rewards, env.Terminated, env.Truncated);
            buffer.Sample(batch, random);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
