using Research.Tensors;
using Research.Tensors.Autograd;

namespace Research.Rl.Tests.Policies;

/// <summary>Compares autograd gradients with central finite differences of a fixed random weighting of the outputs.</summary>
internal static class FiniteDifferences
{
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, float step = 1e-2f, double tolerance = 1e-2)
    {
        foreach (var input in inputs) input.RequiresGrad = true;
        var output = f(inputs);
        var weights = Tensor.Uniform(new Generator(99), 0.5f, 1.5f, output.Shape);
        (output * weights).Sum().Backward();
        for (int t = 0; t < inputs.Length; t++)
        {
            var analytic = inputs[t].Grad!.ToArray();
            var values = inputs[t].AsSpan();
            for (int i = 0; i < values.Length; i++)
            {
                float original = values[i];
                values[i] = original + step;
                double plus = Weighted(f, inputs, weights);
                values[i] = original - step;
                double minus = Weighted(f, inputs, weights);
                values[i] = original;
                double numeric = (plus - minus) / (2 * step);
                Assert.True(Math.Abs(numeric - analytic[i]) <= tolerance * Math.Max(1.0, Math.Abs(numeric)),
                    $"input {t} element {i}: finite difference {numeric}, autograd {analytic[i]}.");
            }
        }
    }

    private static double Weighted(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor weights)
    {
        using var noGrad = GradMode.NoGrad();
        var output = f(inputs).Contiguous().AsSpan();
        var w = weights.AsSpan();
        double sum = 0;
        for (int i = 0; i < output.Length; i++) sum += (double)output[i] * w[i];
        return sum;
    }
}
