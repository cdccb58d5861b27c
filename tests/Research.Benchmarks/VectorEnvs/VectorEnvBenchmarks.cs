using BenchmarkDotNet.Attributes;
using Research.Rl.VectorEnvs;

namespace Research.Benchmarks.VectorEnvs;

/// <summary>One vector step (all envs, autoreset included) of cheap CartPole-like envs.</summary>
[MemoryDiagnoser]
public class VectorEnvBenchmarks
{
    private const int Steps = 1000;
    private IVectorEnv _sync8 = null!;
    private IVectorEnv _sync64 = null!;
    private IVectorEnv _parallel64 = null!;
    private float[] _actions8 = null!;
    private float[] _actions64 = null!;

    /// <summary>Threads of the 64-env parallel vector env.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _sync8 = new SyncVectorEnv(_ => new PoleEnv(), 8);
        _sync64 = new SyncVectorEnv(_ => new PoleEnv(), 64);
        _parallel64 = new ParallelVectorEnv(_ => new PoleEnv(), 64, new ParallelVectorEnvOptions(MaxThreads: Threads));
        _sync8.Reset(seed: 0);
        _sync64.Reset(seed: 0);
        _parallel64.Reset(seed: 0);
        _actions8 = Alternating(8);
        _actions64 = Alternating(64);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sync8.Dispose();
        _sync64.Dispose();
        _parallel64.Dispose();
    }

    /// <summary>SyncVectorEnv of 8 envs (the Threads parameter does not apply).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public void Sync8Step()
    {
        for (int t = 0; t < Steps; t++) _sync8.Step(_actions8);
    }

    /// <summary>SyncVectorEnv of 64 envs, the baseline of the parallel one (the Threads parameter does not apply).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public void Sync64Step()
    {
        for (int t = 0; t < Steps; t++) _sync64.Step(_actions64);
    }

    /// <summary>ParallelVectorEnv of 64 envs on <see cref="Threads"/> threads.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public void Parallel64Step()
    {
        for (int t = 0; t < Steps; t++) _parallel64.Step(_actions64);
    }

    private static float[] Alternating(int n) => [.. Enumerable.Range(0, n).Select(i => (float)(i % 2))];
}
