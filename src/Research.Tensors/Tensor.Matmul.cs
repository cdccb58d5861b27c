using Research.Tensors.Autograd;
using Research.Tensors.Kernels;

namespace Research.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product: [m,k]·[k,n] → [m,n]; batched [b,m,k]·[b,k,n] → [b,m,n]; and [..., m, k]·[k, n] with leading
    /// dimensions folded into m.
    /// </summary>
    public static Tensor Matmul(Tensor a, Tensor b)
    {
        if (a.RankValue < 2 || b.RankValue < 2 || b.RankValue > 3 || (b.RankValue == 3 && a.RankValue != 3))
            throw new ArgumentException($"Matmul supports [m,k]·[k,n], [b,m,k]·[b,k,n] and [...,m,k]·[k,n]; got {FormatShape(a.Shape)} and {FormatShape(b.Shape)}.");
        int k = a.ShapeDims[a.RankValue - 1];
        int kb = b.ShapeDims[b.RankValue - 2];
        if (k != kb)
            throw new ArgumentException($"Matmul inner sizes differ: {FormatShape(a.Shape)} · {FormatShape(b.Shape)} ({k} vs {kb}).");
        if (b.RankValue == 2 && a.RankValue > 2)
        {
            Span<int> shape = stackalloc int[MaxRank];
            a.Shape.CopyTo(shape);
            shape[a.RankValue - 1] = b.ShapeDims[1];
            return Matmul(a.Reshape(-1, k), b).Reshape(shape[..a.RankValue]);
        }
        if (b.RankValue == 3 && a.ShapeDims[0] != b.ShapeDims[0])
            throw new ArgumentException($"Batched matmul needs equal batch sizes: {FormatShape(a.Shape)} · {FormatShape(b.Shape)}.");

        bool batched = a.RankValue == 3;
        int batch = batched ? a.ShapeDims[0] : 1;
        int m = a.ShapeDims[a.RankValue - 2], n = b.ShapeDims[b.RankValue - 1];
        var output = batched ? Empty(batch, m, n) : Empty(m, n);
        for (int i = 0; i < batch; i++)
            MatmulKernel(m, n, k, a, MatrixOffset(a, i), false, b, MatrixOffset(b, i), false, output, i * m * n, n, false);
        if (Backprop.Needed(a, b)) MatmulNode.Attach(output, a, b);
        return output;
    }

    /// <summary>The product with <paramref name="other"/> (see <see cref="Matmul(Tensor, Tensor)"/>).</summary>
    public Tensor Matmul(Tensor other) => Matmul(this, other);

    /// <summary>x·Wᵀ + b for x [..., in], W [out, in] and optional b [out] (PyTorch's <c>F.linear</c>), fused.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias)
    {
        if (weight.RankValue != 2) throw new ArgumentException($"Linear weight must be [out, in], got {FormatShape(weight.Shape)}.");
        int outFeatures = weight.ShapeDims[0], inFeatures = weight.ShapeDims[1];
        if (input.RankValue == 0 || input.ShapeDims[input.RankValue - 1] != inFeatures)
            throw new ArgumentException($"Linear expects input [..., {inFeatures}] for weight {FormatShape(weight.Shape)}, got {FormatShape(input.Shape)}.");
        if (bias is not null && (bias.RankValue != 1 || bias.ShapeDims[0] != outFeatures))
            throw new ArgumentException($"Linear bias must be [{outFeatures}], got {FormatShape(bias.Shape)}.");
        if (input.RankValue != 2)
        {
            Span<int> shape = stackalloc int[MaxRank];
            input.Shape.CopyTo(shape);
            shape[input.RankValue - 1] = outFeatures;
            return Linear(input.Reshape(-1, inFeatures), weight, bias).Reshape(shape[..input.RankValue]);
        }
        int rows = input.ShapeDims[0];
        var output = Empty(rows, outFeatures);
        if (bias is not null) RowOps.FillRows(bias.Contiguous().AsSpan(), output.AsSpan());
        MatmulKernel(rows, outFeatures, inFeatures, input, input.Offset, false, weight, weight.Offset, true, output, 0, outFeatures, bias is not null);
        bool needed = bias is null ? Backprop.Needed(input, weight) : Backprop.Needed(input, weight, bias);
        if (needed) LinearNode.Attach(output, input, weight, bias);
        return output;
    }

    private static int MatrixOffset(Tensor t, int batchIndex) =>
        t.Offset + (t.RankValue == 3 ? batchIndex * t.StrideDims[0] : 0);

    /// <summary>C[cOffset..] (+)= op(A)·op(B) for the last two dimensions of A and B, where op transposes when asked.</summary>
    private static unsafe void MatmulKernel(int m, int n, int k, Tensor a, int aOffset, bool transposeA, Tensor b, int bOffset,
        bool transposeB, Tensor c, int cOffset, int ldc, bool accumulate)
    {
        int ar = a.StrideDims[a.RankValue - 2], ac = a.StrideDims[a.RankValue - 1];
        int br = b.StrideDims[b.RankValue - 2], bc = b.StrideDims[b.RankValue - 1];
        if (transposeA) (ar, ac) = (ac, ar);
        if (transposeB) (br, bc) = (bc, br);
        fixed (float* pa = a.Storage, pb = b.Storage, pc = c.Storage)
            Gemm.Multiply(m, n, k, pa + aOffset, ar, ac, pb + bOffset, br, bc, pc + c.Offset + cOffset, ldc, accumulate);
    }

    private sealed class MatmulNode : PooledNode<MatmulNode>
    {
        public override void Backward(Tensor grad)
        {
            var a = A!;
            var b = B!;
            bool batched = a.RankValue == 3;
            int batch = batched ? a.ShapeDims[0] : 1;
            int m = a.ShapeDims[a.RankValue - 2], k = a.ShapeDims[a.RankValue - 1], n = b.ShapeDims[b.RankValue - 1];
            var ga = Wants(a) ? GradOf(a) : null;
            var gb = Wants(b) ? GradOf(b) : null;
            for (int i = 0; i < batch; i++)
            {
                int gOffset = i * m * n;
                // dA = G·Bᵀ, dB = Aᵀ·G
                if (ga is not null) MatmulKernel(m, k, n, grad, gOffset, false, b, MatrixOffset(b, i), true, ga, i * m * k, k, true);
                if (gb is not null) MatmulKernel(k, n, m, a, MatrixOffset(a, i), true, grad, gOffset, false, gb, i * k * n, n, true);
            }
        }
    }

    private sealed class LinearNode : PooledNode<LinearNode>
    {
        public override void Backward(Tensor grad)
        {
            var x = A!;
            var w = B!;
            int rows = x.ShapeDims[0], inFeatures = w.ShapeDims[1], outFeatures = w.ShapeDims[0];
            // dX = G·W, dW = Gᵀ·X, db = Σ_rows G
            if (Wants(x)) MatmulKernel(rows, inFeatures, outFeatures, grad, 0, false, w, w.Offset, false, GradOf(x), 0, inFeatures, true);
            if (Wants(w)) MatmulKernel(outFeatures, inFeatures, rows, grad, 0, true, x, x.Offset, false, GradOf(w), 0, inFeatures, true);
            if (Wants(C)) RowOps.AddColumnSums(grad.AsSpan(), GradOf(C!).AsSpan());
        }
    }
}
