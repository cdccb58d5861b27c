using Research.Tensors;
using Research.Tensors.Autograd;

namespace Research.Tests.Shared;

/// <summary>Compares autograd gradients with central finite differences.</summary>
internal static class GradCheck
{
    /// <summary>
    /// Checks d(Σ f(inputs) ⊙ w)/d(input) for every input, where w is a fixed random weighting so every output element matters.
    /// </summary>
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, float step = 1e-2f, double tolerance = 1e-2)
    {
        foreach (var input in inputs) input.RequiresGrad = true;
        var generator = new Generator(99);
        var output = f(inputs);
        var weights = Tensor.Uniform(generator, 0.5f, 1.5f, output.Shape);
        (output * weights).Sum().Backward();

        for (int t = 0; t < inputs.Length; t++)
        {
            var input = inputs[t];
            Assert.NotNull(input.Grad);
            var analytic = input.Grad!.ToArray();
            var values = input.AsSpan();
            for (int i = 0; i < values.Length; i++)
            {
                float original = values[i];
                values[i] = original + step;
                double plus = Evaluate(f, inputs, weights);
                values[i] = original - step;
                double minus = Evaluate(f, inputs, weights);
                values[i] = original;
                double numeric = (plus - minus) / (2 * step);
                double error = Math.Abs(numeric - analytic[i]);
                Assert.True(error <= tolerance * Math.Max(1.0, Math.Abs(numeric)),
                    $"input {t} element {i}: finite difference {numeric}, autograd {analytic[i]}.");
            }
        }
    }

    private static double Evaluate(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor weights)
    {
        using var noGrad = GradMode.NoGrad();
        var output = f(inputs).Contiguous().AsSpan();
        var w = weights.AsSpan();
        double sum = 0;
        for (int i = 0; i < output.Length; i++) sum += (double)output[i] * w[i];
        return sum;
    }
}
