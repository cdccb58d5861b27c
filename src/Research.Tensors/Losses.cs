using Research.Tensors.Autograd;

namespace Research.Tensors;

/// <summary>Loss functions with mean reduction, as PyTorch's defaults.</summary>
public static class Losses
{
    /// <summary>mean((input − target)²).</summary>
    public static Tensor Mse(Tensor input, Tensor target) => Pointwise(PointwiseLoss.Mse, input, target, 0f, "Mse");

    /// <summary>Huber / smooth-L1: 0.5 d²/β where |d| &lt; β, else |d| − 0.5β (β = 0 gives L1).</summary>
    public static Tensor SmoothL1(Tensor input, Tensor target, float beta = 1f)
    {
        if (beta < 0) throw new ArgumentOutOfRangeException(nameof(beta), beta, "SmoothL1 beta must be ≥ 0.");
        return Pointwise(PointwiseLoss.SmoothL1, input, target, beta, "SmoothL1");
    }

    /// <summary>mean(max(x, 0) − x·y + log(1 + e^−|x|)) for logits x and targets y in [0, 1].</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target) =>
        Pointwise(PointwiseLoss.BceWithLogits, logits, target, 0f, "BinaryCrossEntropyWithLogits");

    /// <summary>mean over rows of −log_softmax(logits)[row, target[row]]; logits [N, C], integer targets [N] held as floats.</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target)
    {
        if (logits.Rank != 2 || target.Rank != 1 || target.Shape[0] != logits.Shape[0])
            throw new ArgumentException($"CrossEntropy needs logits [N, C] and targets [N]; got {Tensor.FormatShape(logits.Shape)} and {Tensor.FormatShape(target.Shape)}.");
        return logits.LogSoftmax(1).Gather(1, target.Unsqueeze(1)).Mean().Neg();
    }

    private static Tensor Pointwise(PointwiseLoss kind, Tensor input, Tensor target, float beta, string name)
    {
        if (!input.Shape.SequenceEqual(target.Shape))
            throw new ArgumentException($"{name} needs input and target of the same shape; got {Tensor.FormatShape(input.Shape)} and {Tensor.FormatShape(target.Shape)}.");
        var x = input.Contiguous();
        var y = target.Contiguous();
        ReadOnlySpan<float> xs = x.AsSpan(), ys = y.AsSpan();
        double sum = 0;
        for (int i = 0; i < xs.Length; i++) sum += Value(kind, xs[i], ys[i], beta);
        var output = Tensor.Scalar((float)(sum / xs.Length));
        if (Backprop.Needed(x, y)) PointwiseLossNode.Attach(output, x, y).Set(kind, beta);
        return output;
    }

    private static double Value(PointwiseLoss kind, float x, float y, float beta)
    {
        float d = x - y;
        return kind switch
        {
            PointwiseLoss.Mse => d * d,
            PointwiseLoss.SmoothL1 => MathF.Abs(d) < beta ? 0.5 * d * d / beta : MathF.Abs(d) - 0.5 * beta,
            _ => Math.Max(x, 0) - x * y + Math.Log(1 + Math.Exp(-Math.Abs(x))),
        };
    }

    private enum PointwiseLoss { Mse, SmoothL1, BceWithLogits }

    private sealed class PointwiseLossNode : PooledNode<PointwiseLossNode>
    {
        private PointwiseLoss _kind;
        private float _beta;

        public void Set(PointwiseLoss kind, float beta) => (_kind, _beta) = (kind, beta);

        public override void Backward(Tensor grad)
        {
            ReadOnlySpan<float> x = A!.AsSpan(), y = B!.AsSpan();
            float scale = grad.Item() / x.Length;
            var dx = Wants(A) ? GradOf(A!).AsSpan() : default;
            var dy = Wants(B) ? GradOf(B!).AsSpan() : default;
            for (int i = 0; i < x.Length; i++)
            {
                float d = x[i] - y[i];
                float gx, gy;
                switch (_kind)
                {
                    case PointwiseLoss.Mse:
                        gx = 2f * d;
                        gy = -gx;
                        break;
                    case PointwiseLoss.SmoothL1:
                        // Not MathF.Sign: it throws on NaN, where the gradient must carry the NaN (as torch.sign does).
                        gx = MathF.Abs(d) < _beta ? d / _beta : d > 0 ? 1f : d < 0 ? -1f : d;
                        gy = -gx;
                        break;
                    default:
                        gx = 1f / (1f + MathF.Exp(-x[i])) - y[i];
                        gy = -x[i];
                        break;
                }
                if (!dx.IsEmpty) dx[i] += scale * gx;
                if (!dy.IsEmpty) dy[i] += scale * gy;
            }
        }
    }
}
