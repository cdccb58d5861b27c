using BenchmarkDotNet.Attributes;
using Research.Tensors;

namespace Research.Benchmarks.Tensors;

/// <summary>Square float32 matrix products, one thread and all threads (2·N³ FLOP each).</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class MatmulBenchmarks
{
    private Tensor _a = null!;
    private Tensor _b = null!;

    /// <summary>Matrix size.</summary>
    [Params(256, 1024)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(1);
        _a = Tensor.Randn(generator, N, N);
        _b = Tensor.Randn(generator, N, N);
    }

    [Benchmark]
    public float OneThread()
    {
        using var limit = Parallelism.Limit(1);
        using var scope = TensorScope.Begin();
        return Tensor.Matmul(_a, _b).AsSpan()[0];
    }

    [Benchmark]
    public float AllThreads()
    {
        using var limit = Parallelism.Limit(Environment.ProcessorCount);
        using var scope = TensorScope.Begin();
        return Tensor.Matmul(_a, _b).AsSpan()[0];
    }
}

/// <summary>
/// The products of one DQN update with the zoo's 256×256 Q-network (batch 64; MountainCar and Acrobot use 128): the
/// forward x·Wᵀ, the input gradient G·W and the weight gradient Gᵀ·X, on one and two threads (2·rows·256² FLOP each).
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class DqnLayerMatmulBenchmarks
{
    private Tensor _x = null!;
    private Tensor _w = null!;
    private Tensor _bias = null!;
    private Tensor _g = null!;

    /// <summary>Batch size.</summary>
    [Params(64, 128)]
    public int Rows { get; set; }

    /// <summary>Threads the kernels may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(1);
        _x = Tensor.Randn(generator, Rows, 256);
        _w = Tensor.Randn(generator, 256, 256);
        _bias = Tensor.Randn(generator, 256);
        _g = Tensor.Randn(generator, Rows, 256);
    }

    [Benchmark]
    public float Forward()
    {
        using var limit = Parallelism.Limit(Threads);
        using var scope = TensorScope.Begin();
        return Tensor.Linear(_x, _w, _bias).AsSpan()[0];
    }

    [Benchmark]
    public float InputGradient()
    {
        using var limit = Parallelism.Limit(Threads);
        using var scope = TensorScope.Begin();
        return Tensor.Matmul(_g, _w).AsSpan()[0];
    }

    [Benchmark]
    public float WeightGradient()
    {
        using var limit = Parallelism.Limit(Threads);
        using var scope = TensorScope.Begin();
        return Tensor.Matmul(_g.T(), _x).AsSpan()[0];
    }
}
