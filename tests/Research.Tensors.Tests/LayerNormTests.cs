using Research.Tensors;
using Research.Tensors.Nn;

namespace Research.Tensors.Tests;

public class LayerNormTests
{
    [Fact]
    public void Normalises_each_row_with_the_biased_variance_then_scales_and_shifts()
    {
        var norm = new LayerNorm(4);
        norm.Weight.CopyFrom([1f, 2f, 0.5f, -1f]);
        norm.Bias.CopyFrom([0f, 1f, -1f, 0.25f]);
        var x = Tensor.FromArray([1f, 2f, 3f, 6f, -1f, -1f, -1f, -1f], 2, 4);
        var y = norm.Forward(x).ToArray();
        for (int row = 0; row < 2; row++)
        {
            var values = x.ToArray().AsSpan(row * 4, 4).ToArray().Select(v => (double)v).ToArray();
            double mean = values.Average(), variance = values.Select(v => (v - mean) * (v - mean)).Average();
            for (int k = 0; k < 4; k++)
            {
                double expected = (values[k] - mean) / Math.Sqrt(variance + 1e-5) * norm.Weight.ToArray()[k] + norm.Bias.ToArray()[k];
                Assert.Equal(expected, y[row * 4 + k], 5);
            }
        }
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        var generator = new Generator(3);
        var norm = new LayerNorm(5);
        Init.Uniform(norm.Weight, generator, 0.5f, 1.5f);
        Init.Uniform(norm.Bias, generator, -0.5f, 0.5f);
        var x = Tensor.Randn(generator, 3, 5);
        GradCheck.Check(inputs => norm.Forward(inputs[0]).Tanh(), [x], step: 1e-2f, tolerance: 2e-2);
        norm.ZeroGrad(); // the first check's backward pass also reached the weights
        GradCheck.Check(_ => norm.Forward(x.Detach()).Tanh(), [norm.Weight, norm.Bias], step: 1e-2f, tolerance: 2e-2);
    }

    [Fact]
    public void Mlp_with_layer_norm_puts_it_between_each_hidden_linear_layer_and_its_activation()
    {
        var mlp = new Mlp([3, 8, 8, 2], Activation.Relu, new Generator(0), layerNorm: true);
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias", "4.weight", "4.bias", "6.weight", "6.bias"],
            mlp.NamedParameters().Select(p => p.Key));
        Assert.IsType<LayerNorm>(mlp.Layers[1]);
        Assert.IsType<ActivationLayer>(mlp.Layers[2]);
        Assert.IsType<Linear>(mlp.Layers[^1]);
    }

    [Fact]
    public void Hardtanh_clips_to_its_bounds()
    {
        var y = new Hardtanh(-2f, 2f).Forward(Tensor.FromArray([-3f, -1f, 0.5f, 2.5f], 4)).ToArray();
        Assert.Equal([-2f, -1f, 0.5f, 2f], y);
    }
}
