using Research.Rl.Buffers;

namespace Research.Rl.Tests.Buffers;

public sealed class RolloutBufferTests
{
    // gamma = lambda = 0.5 keep every hand-computed value exact in float32.
    private static RolloutBuffer Fill(float[] rewards, float[] values, bool[] starts, double gamma = 0.5, double lambda = 0.5)
    {
        var buffer = new RolloutBuffer(rewards.Length, 1, observationSize: 1, actionSize: 1, gamma, lambda);
        for (int t = 0; t < rewards.Length; t++)
            buffer.Add([t], [0], [rewards[t]], [starts[t]], [values[t]], [0]);
        return buffer;
    }

    [Fact]
    public void Gae_matches_a_hand_computed_rollout()
    {
        var buffer = Fill([1, 2, 3], [0.5f, 1, 1.5f], [true, false, false]);
        buffer.ComputeReturnsAndAdvantage([2], [false]);
        // t2: 3 + .5*2 - 1.5 = 2.5; t1: 2 + .5*1.5 - 1 + .25*2.5 = 2.375; t0: 1 + .5*1 - .5 + .25*2.375 = 1.59375
        Assert.Equal([1.59375f, 2.375f, 2.5f], buffer.Advantages);
        Assert.Equal([2.09375f, 3.375f, 4f], buffer.Returns);
    }

    [Fact]
    public void Gae_stops_at_episode_starts_and_final_dones()
    {
        var buffer = Fill([1, 2, 3], [0.5f, 1, 1.5f], [true, false, true]);
        buffer.ComputeReturnsAndAdvantage([2], [true]);
        // t2: 3 - 1.5 = 1.5 (done); t1: 2 - 1 = 1 (next starts an episode); t0: 1 + .5 - .5 + .25*1 = 1.25
        Assert.Equal([1.25f, 1f, 1.5f], buffer.Advantages);
        Assert.Equal([1.75f, 2f, 3f], buffer.Returns);
    }

    [Fact]
    public void Truncation_bootstrap_adds_gamma_times_terminal_value_to_the_reward()
    {
        var buffer = Fill([1, 2, 3], [0.5f, 1, 1.5f], [true, false, true]);
        buffer.AddTruncationBootstrap(stepIndex: 1, envIndex: 0, terminalValue: 4);
        Assert.Equal(4f, buffer.Rewards[1]);
        buffer.ComputeReturnsAndAdvantage([2], [false]);
        // t2: 3 + 1 - 1.5 = 2.5; t1: 4 - 1 = 3 (cut, bootstrapped through the reward); t0: 1 + .25*3 = 1.75
        Assert.Equal([1.75f, 3f, 2.5f], buffer.Advantages);
        Assert.Equal([2.25f, 4f, 4f], buffer.Returns);
    }

    [Fact]
    public void Returns_are_advantages_plus_values_and_lambda_one_gives_bootstrapped_monte_carlo_returns()
    {
        const int steps = 7;
        var random = new Random(3);
        var rewards = Enumerable.Range(0, steps).Select(_ => (float)random.NextDouble()).ToArray();
        var values = Enumerable.Range(0, steps).Select(_ => (float)random.NextDouble()).ToArray();
        var buffer = Fill(rewards, values, new bool[steps], gamma: 0.9, lambda: 1.0);
        buffer.ComputeReturnsAndAdvantage([0.7f], [false]);
        double target = 0.7;
        for (int t = steps - 1; t >= 0; t--)
        {
            target = rewards[t] + 0.9 * target;
            Assert.Equal(target, buffer.Returns[t], 1e-5);
            Assert.Equal(buffer.Advantages[t] + buffer.Values[t], buffer.Returns[t]);
        }
    }

    [Fact]
    public void Gae_over_several_envs_matches_a_direct_double_precision_recursion()
    {
        const int steps = 9, envs = 3;
        const double gamma = 0.97, lambda = 0.9;
        var random = new Random(11);
        var buffer = new RolloutBuffer(steps, envs, 2, 1, gamma, lambda);
        var rewards = new float[steps, envs];
        var values = new float[steps, envs];
        var starts = new bool[steps, envs];
        for (int t = 0; t < steps; t++)
        {
            var r = new float[envs];
            var v = new float[envs];
            var s = new bool[envs];
            for (int e = 0; e < envs; e++)
            {
                r[e] = rewards[t, e] = (float)random.NextDouble() * 2 - 1;
                v[e] = values[t, e] = (float)random.NextDouble();
                s[e] = starts[t, e] = random.NextDouble() < 0.2;
            }
            buffer.Add(new float[envs * 2], new float[envs], r, s, v, new float[envs]);
        }
        float[] last = [0.3f, -0.2f, 0.9f];
        bool[] dones = [false, true, false];
        buffer.ComputeReturnsAndAdvantage(last, dones);

        for (int e = 0; e < envs; e++)
        {
            double gae = 0;
            for (int t = steps - 1; t >= 0; t--)
            {
                double nextNonTerminal = t == steps - 1 ? (dones[e] ? 0 : 1) : (starts[t + 1, e] ? 0 : 1);
                double nextValue = t == steps - 1 ? last[e] : values[t + 1, e];
                double delta = rewards[t, e] + gamma * nextValue * nextNonTerminal - values[t, e];
                gae = delta + gamma * lambda * nextNonTerminal * gae;
                Assert.Equal(gae, buffer.Advantages[t * envs + e], 1e-5);
            }
        }
    }

    [Fact]
    public void Add_past_the_end_and_advantages_before_the_end_are_refused()
    {
        var buffer = new RolloutBuffer(2, 1, 1, 1);
        buffer.Add([0], [0], [0], [true], [0], [0]);
        var early = Assert.Throws<InvalidOperationException>(() => buffer.ComputeReturnsAndAdvantage([0], [false]));
        Assert.Contains("1 of 2", early.Message);
        buffer.Add([0], [0], [0], [false], [0], [0]);
        Assert.True(buffer.IsFull);
        Assert.Throws<InvalidOperationException>(() => buffer.Add([0], [0], [0], [false], [0], [0]));
        var wrong = Assert.Throws<ArgumentException>(() => new RolloutBuffer(2, 2, 1, 1).Add([0], [0, 0], [0, 0], [true, true], [0, 0], [0, 0]));
        Assert.Contains("observations has 1 elements; expected 2", wrong.Message);
        buffer.Reset();
        Assert.False(buffer.IsFull);
        Assert.Equal(0, buffer.Position);
        Assert.All(buffer.Rewards, r => Assert.Equal(0f, r));
    }

    private static RolloutBuffer FullBuffer(int steps, int envs)
    {
        var buffer = new RolloutBuffer(steps, envs, observationSize: 2, actionSize: 1);
        for (int t = 0; t < steps; t++)
        {
            var obs = new float[envs * 2];
            var actions = new float[envs];
            for (int e = 0; e < envs; e++)
            {
                int row = t * envs + e;
                obs[2 * e] = row;
                obs[2 * e + 1] = -row;
                actions[e] = 100 + row;
            }
            buffer.Add(obs, actions, new float[envs], new bool[envs], Enumerable.Range(0, envs).Select(e => (float)(t * envs + e)).ToArray(), new float[envs]);
        }
        buffer.ComputeReturnsAndAdvantage(new float[envs], new bool[envs]);
        return buffer;
    }

    [Fact]
    public void Minibatches_cover_every_row_exactly_once_per_epoch_with_a_short_last_batch()
    {
        var buffer = FullBuffer(steps: 5, envs: 3);
        var random = new SplitMix64Random(1);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = new List<int>();
            var sizes = new List<int>();
            foreach (var batch in buffer.GetMinibatches(4, random))
            {
                sizes.Add(batch.Length);
                seen.AddRange(batch.ToArray());
            }
            Assert.Equal([4, 4, 4, 3], sizes);
            Assert.Equal(Enumerable.Range(0, 15), seen.Order());
        }
        Assert.Equal(4, buffer.GetMinibatches(4, random).Count);
    }

    [Fact]
    public void Minibatch_order_is_determined_by_the_seed()
    {
        static List<int> Order(long seed)
        {
            var buffer = FullBuffer(8, 4);
            var random = new SplitMix64Random(seed);
            var order = new List<int>();
            for (int epoch = 0; epoch < 2; epoch++)
                foreach (var batch in buffer.GetMinibatches(5, random)) order.AddRange(batch.ToArray());
            return order;
        }
        Assert.Equal(Order(42), Order(42));
        Assert.NotEqual(Order(42), Order(43));
        Assert.NotEqual(Enumerable.Range(0, 32), Order(42).Take(32));
    }

    [Fact]
    public void Gather_copies_the_named_rows()
    {
        var buffer = FullBuffer(steps: 3, envs: 2);
        var batch = new RolloutMinibatch(4, 2, 1);
        buffer.Gather([5, 0, 3], batch);
        Assert.Equal(3, batch.Count);
        Assert.Equal([5f, -5f, 0f, 0f, 3f, -3f], batch.Observations.AsSpan(0, 6).ToArray());
        Assert.Equal([105f, 100f, 103f], batch.Actions.AsSpan(0, 3).ToArray());
        Assert.Equal([5f, 0f, 3f], batch.OldValues.AsSpan(0, 3).ToArray());
        for (int k = 0; k < 3; k++) Assert.Equal(batch.Returns[k] - batch.OldValues[k], batch.Advantages[k], 1e-6);
        Assert.Throws<ArgumentException>(() => buffer.Gather([0, 1, 2, 3, 4], batch));
    }

    [Fact]
    public void Add_advantages_and_minibatch_gathering_allocate_nothing_after_warm_up()
    {
        const int steps = 16, envs = 4;
        var buffer = new RolloutBuffer(steps, envs, 3, 2);
        var obs = new float[envs * 3];
        var actions = new float[envs * 2];
        var scalars = new float[envs];
        var starts = new bool[envs];
        var batch = new RolloutMinibatch(10, 3, 2);
        var random = new SplitMix64Random(5);

        void Iteration()
        {
            buffer.Reset();
            for (int t = 0; t < steps; t++) buffer.Add(obs, actions, scalars, starts, scalars, scalars);
            buffer.AddTruncationBootstrap(3, 1, 0.5f);
            buffer.ComputeReturnsAndAdvantage(scalars, starts);
            foreach (var indices in buffer.GetMinibatches(10, random)) buffer.Gather(indices, batch);
        }

        Iteration();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) Iteration();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
