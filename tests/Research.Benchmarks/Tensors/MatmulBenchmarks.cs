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
