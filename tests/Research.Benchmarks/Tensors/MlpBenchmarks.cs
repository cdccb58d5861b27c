using BenchmarkDotNet.Attributes;
using Research.Tensors;
using Research.Tensors.Nn;
using Research.Tensors.Optim;

namespace Research.Benchmarks.Tensors;

/// <summary>The small policy network every on-policy algorithm runs: MLP 4→64→64→2 with tanh.</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class MlpBenchmarks
{
    private const int Batch = 64;
    private Mlp _mlp = null!;
    private Adam _adam = null!;
    private float[] _observation = null!;
    private Tensor _batch = null!;
    private Tensor _target = null!;
    private float _sink;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new Generator(1);
        _mlp = new Mlp([4, 64, 64, 2], Activation.Tanh, generator);
        _adam = new Adam(_mlp.Parameters(), new AdamOptions(3e-4, Eps: 1e-5));
        _observation = [0.01f, -0.02f, 0.03f, 0.04f];
        _batch = Tensor.Randn(generator, Batch, 4);
        _target = Tensor.Randn(generator, Batch, 2);
    }

    /// <summary>One observation through the network, as Predict does each env step.</summary>
    [Benchmark]
    public float ForwardOneObservation()
    {
        using var noGrad = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var obs = Tensor.FromSpan(_observation, 1, 4);
        var output = _mlp.Forward(obs).AsSpan();
        return output[0] + output[1];
    }

    /// <summary>A minibatch update: forward, MSE loss, backward, Adam step.</summary>
    [Benchmark]
    public float TrainStepBatch64()
    {
        using (var scope = TensorScope.Begin())
        {
            _adam.ZeroGrad();
            var loss = Losses.Mse(_mlp.Forward(_batch), _target);
            loss.Backward();
            _sink = loss.Item();
        }
        _adam.Step();
        return _sink;
    }
}
