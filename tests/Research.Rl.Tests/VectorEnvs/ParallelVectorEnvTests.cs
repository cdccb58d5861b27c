using Research.Rl.VectorEnvs;
using static Research.Rl.Tests.VectorEnvs.VectorEnvTesting;

namespace Research.Rl.Tests.VectorEnvs;

public class ParallelVectorEnvTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Results_equal_SyncVectorEnv_bit_for_bit(int threads)
    {
        using var sync = new SyncVectorEnv(MixedCounter, 7);
        using var parallel = new ParallelVectorEnv(MixedCounter, 7, new ParallelVectorEnvOptions(MaxThreads: threads));
        sync.Reset(seed: 11);
        parallel.Reset(seed: 11);
        Assert.Equal(Snapshot(sync), Snapshot(parallel));
        Assert.Equal(Run(sync, 0, 60), Run(parallel, 0, 60));
    }

    [Fact]
    public void Thread_count_is_capped_by_the_number_of_envs()
    {
        using var few = new ParallelVectorEnv(MixedCounter, 2, new ParallelVectorEnvOptions(MaxThreads: 8));
        Assert.Equal(2, few.ThreadCount);
        using var defaulted = new ParallelVectorEnv(MixedCounter, 64);
        Assert.Equal(Math.Min(64, Environment.ProcessorCount), defaulted.ThreadCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelVectorEnv(MixedCounter, 2, new ParallelVectorEnvOptions(MaxThreads: -1)));
    }

    [Fact]
    public void A_worker_exception_surfaces_on_the_caller_with_the_lowest_failing_index()
    {
        using var vec = new ParallelVectorEnv(
            i => new CounterEnv(episodeLength: 10, failAtStep: i is 4 or 5 ? 1 : null), 6,
            new ParallelVectorEnvOptions(MaxThreads: 2));
        vec.Reset();
        var error = Assert.Throws<VectorEnvException>(() => vec.Step(new float[6]));
        Assert.Equal(4, error.EnvIndex);
        Assert.Contains("ParallelVectorEnv: env 4 failed during Step", error.Message);
        Assert.Throws<InvalidOperationException>(() => vec.Step(new float[6]));
    }

    [Fact]
    public void State_moves_between_sync_and_parallel_and_restores_exactly()
    {
        using var sync = new SyncVectorEnv(MixedCounter, 5);
        sync.Reset(seed: 2);
        Run(sync, 0, 4);
        var state = SaveState(sync);
        var expected = Run(sync, 4, 12);

        using var parallel = new ParallelVectorEnv(MixedCounter, 5, new ParallelVectorEnvOptions(MaxThreads: 2));
        LoadState(parallel, state);
        Assert.Equal(expected, Run(parallel, 4, 12));
    }

    [Fact]
    public void Dispose_stops_the_workers_and_disposes_every_env()
    {
        var envs = Enumerable.Range(0, 4).Select(_ => new CounterEnv()).ToArray();
        var vec = new ParallelVectorEnv(envs, new ParallelVectorEnvOptions(MaxThreads: 2));
        vec.Reset();
        vec.Step(new float[4]);
        vec.Dispose();
        vec.Dispose();
        Assert.All(envs, e => Assert.True(e.Disposed));
        Assert.Throws<ObjectDisposedException>(() => vec.Step(new float[4]));
    }

    [Fact]
    public void Stepping_allocates_nothing_after_warm_up_on_any_thread()
    {
        var probe = new AllocationProbe();
        using var vec = new ParallelVectorEnv(i => new CounterEnv(episodeLength: 3 + i % 4, probe: probe), 16, new ParallelVectorEnvOptions(MaxThreads: 2));
        vec.Reset(seed: 0);
        var actions = new float[16];
        for (int t = 0; t < 200; t++) vec.Step(actions);
        probe.Start();
        long caller = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 1000; t++) vec.Step(actions);
        long callerAllocated = GC.GetAllocatedBytesForCurrentThread() - caller;
        var (bytes, threads) = probe.Stop();
        Assert.Equal(0, callerAllocated);
        Assert.Equal(0, bytes);
        Assert.InRange(threads, 1, 2);
    }
}
