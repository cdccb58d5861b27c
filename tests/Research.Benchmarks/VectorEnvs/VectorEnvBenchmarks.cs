using BenchmarkDotNet.Attributes;
using Research.Abstractions.Environments;
using Research.Plugins.ClassicControl;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;

namespace Research.Benchmarks.VectorEnvs;

/// <summary>One vector step (all envs, autoreset included): 8 CartPole-v1 in one thread, and 64 Pendulum-v1 in one thread and in parallel.</summary>
[MemoryDiagnoser]
public class VectorEnvBenchmarks
{
    private const int Steps = 1000;
    private IVectorEnv _cartPoles = null!;
    private IVectorEnv _pendulums = null!;
    private IVectorEnv _parallelPendulums = null!;
    private float[] _cartPoleActions = null!;
    private float[] _pendulumActions = null!;

    /// <summary>Threads of the 64-env parallel vector env.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cartPoles = new SyncVectorEnv(_ => CartPole(), 8);
        _pendulums = new SyncVectorEnv(_ => Pendulum(), 64);
        _parallelPendulums = new ParallelVectorEnv(_ => Pendulum(), 64, new ParallelVectorEnvOptions(MaxThreads: Threads));
        _cartPoles.Reset(seed: 0);
        _pendulums.Reset(seed: 0);
        _parallelPendulums.Reset(seed: 0);
        _cartPoleActions = [.. Enumerable.Range(0, 8).Select(i => (float)(i % 2))];
        _pendulumActions = [.. Enumerable.Range(0, 64).Select(i => i % 2 == 0 ? 1.5f : -1.5f)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cartPoles.Dispose();
        _pendulums.Dispose();
        _parallelPendulums.Dispose();
    }

    /// <summary>SyncVectorEnv of 8 CartPole-v1 (the Threads parameter does not apply).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public void SyncCartPole8()
    {
        for (int t = 0; t < Steps; t++) _cartPoles.Step(_cartPoleActions);
    }

    /// <summary>SyncVectorEnv of 64 Pendulum-v1, the baseline of the parallel one (the Threads parameter does not apply).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public void SyncPendulum64()
    {
        for (int t = 0; t < Steps; t++) _pendulums.Step(_pendulumActions);
    }

    /// <summary>ParallelVectorEnv of 64 Pendulum-v1 on <see cref="Threads"/> threads.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public void ParallelPendulum64()
    {
        for (int t = 0; t < Steps; t++) _parallelPendulums.Step(_pendulumActions);
    }

    private static IEnv CartPole() => new TimeLimit(new CartPoleEnv(), 500);

    private static IEnv Pendulum() => new TimeLimit(new PendulumEnv(), 200);
}
