using System.Numerics.Tensors;
using Research.Tensors.Autograd;

namespace Research.Tensors;

public sealed partial class Tensor
{
    /// <summary>exp(x) / Σ exp(x) along <paramref name="dim"/>, computed with the maximum subtracted.</summary>
    public Tensor Softmax(int dim = -1) => SoftmaxCore(dim, log: false);

    /// <summary>x − log Σ exp(x) along <paramref name="dim"/>, computed stably.</summary>
    public Tensor LogSoftmax(int dim = -1) => SoftmaxCore(dim, log: true);

    /// <summary>log Σ exp(x) along <paramref name="dim"/>.</summary>
    public Tensor LogSumExp(int dim = -1, bool keepDim = false)
    {
        // log Σ exp(x) = x − log_softmax(x) for any element; the first one along dim is taken.
        int d0 = NormalizeDim(dim);
        var first = (this - LogSoftmax(d0)).Narrow(d0, 0, 1);
        return keepDim ? first : first.Squeeze(d0);
    }

    private Tensor SoftmaxCore(int dim, bool log)
    {
        int d0 = NormalizeDim(dim);
        var source = Contiguous();
        GetLayout(d0, out int outer, out int size, out int inner);
        var output = Empty(Shape);
        ReadOnlySpan<float> x = source.AsSpan();
        var y = output.AsSpan();
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                var row = x.Slice(o * size, size);
                var result = y.Slice(o * size, size);
                float max = TensorPrimitives.Max(row);
                TensorPrimitives.Subtract(row, max, result);
                TensorPrimitives.Exp(result, result);
                float sum = TensorPrimitives.Sum(result);
                if (log) TensorPrimitives.Subtract(row, max + MathF.Log(sum), result);
                else TensorPrimitives.Multiply(result, 1f / sum, result);
                continue;
            }
            for (int i = 0; i < inner; i++)
            {
                int start = o * size * inner + i;
                float max = float.NegativeInfinity;
                for (int s = 0; s < size; s++) max = MathF.Max(max, x[start + s * inner]);
                float sum = 0;
                for (int s = 0; s < size; s++) sum += MathF.Exp(x[start + s * inner] - max);
                float lse = max + MathF.Log(sum);
                for (int s = 0; s < size; s++)
                {
                    float v = x[start + s * inner] - lse;
                    y[start + s * inner] = log ? v : MathF.Exp(v);
                }
            }
        }
        if (Backprop.Needed(source)) SoftmaxNode.Attach(output, source).Set(d0, log);
        return output;
    }

    private sealed class SoftmaxNode : PooledNode<SoftmaxNode>
    {
        private int _dim;
        private bool _log;

        public void Set(int dim, bool log) => (_dim, _log) = (dim, log);

        public override void Backward(Tensor grad)
        {
            var target = GradOf(A!);
            A!.GetLayout(_dim, out int outer, out int size, out int inner);
            ReadOnlySpan<float> g = grad.AsSpan(), y = Output.AsSpan();
            var d = target.AsSpan();
            for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int start = o * size * inner + i;
                // softmax: dx = y (g − Σ g y);  log-softmax: dx = g − softmax · Σ g
                float dot = 0;
                for (int s = 0; s < size; s++) dot += _log ? g[start + s * inner] : g[start + s * inner] * y[start + s * inner];
                for (int s = 0; s < size; s++)
                {
                    int at = start + s * inner;
                    d[at] += _log ? g[at] - MathF.Exp(y[at]) * dot : y[at] * (g[at] - dot);
                }
            }
        }
    }
}
