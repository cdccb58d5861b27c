using BenchmarkDotNet.Attributes;
using Research.Tensors;
using Research.Tensors.Nn;

namespace Research.Benchmarks.Tensors;

/// <summary>The Nature-CNN first layer (batch 32, 4×84×84 → 32×20×20, 8×8 stride 4) forward and backward.</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class ConvBenchmarks
{
    private Conv2d _conv = null!;
    private Tensor _input = null!;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(1);
        _conv = new Conv2d(4, 32, 8, generator, stride: 4);
        _input = Tensor.Rand(generator, 32, 4, 84, 84);
    }

    [Benchmark]
    public float ForwardBackward()
    {
        using var scope = TensorScope.Begin();
        _conv.ZeroGrad();
        var loss = _conv.Forward(_input).Relu().Sum();
        loss.Backward();
        return loss.Item();
    }
}
