using Research.Tensors.Autograd;
using Research.Tensors.Kernels;

namespace Research.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// 2-D cross-correlation of x [N, C, H, W] with weight [O, C, kH, kW] plus optional bias [O] (PyTorch's <c>F.conv2d</c>),
    /// by unfolding patches into columns and one matrix product.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, int stride = 1, int padding = 0)
    {
        if (input.RankValue != 4 || weight.RankValue != 4 || weight.ShapeDims[1] != input.ShapeDims[1])
            throw new ArgumentException($"Conv2d needs input [N, C, H, W] and weight [O, C, kH, kW] with equal C; got {FormatShape(input.Shape)} and {FormatShape(weight.Shape)}.");
        if (stride < 1 || padding < 0) throw new ArgumentException($"Conv2d needs stride ≥ 1 and padding ≥ 0, got stride {stride} and padding {padding}.");
        if (bias is not null && (bias.RankValue != 1 || bias.ShapeDims[0] != weight.ShapeDims[0]))
            throw new ArgumentException($"Conv2d bias must be [{weight.ShapeDims[0]}], got {FormatShape(bias.Shape)}.");
        var geometry = new ConvGeometry(input, weight, stride, padding);
        if (geometry.OutHeight <= 0 || geometry.OutWidth <= 0)
            throw new ArgumentException($"Conv2d kernel {FormatShape(weight.Shape)} does not fit input {FormatShape(input.Shape)} with padding {padding}.");

        var x = input.Contiguous();
        var w = weight.Contiguous();
        int patch = geometry.PatchSize, columns = geometry.Columns, outChannels = geometry.OutChannels, spatial = geometry.Spatial;
        var col = Empty(patch, columns);
        Im2Col.Unfold(x, geometry, col);
        // [O, N·OH·OW] = W[O, patch] · col[patch, N·OH·OW]
        var product = Empty(outChannels, columns);
        MatmulKernel(outChannels, columns, patch, View(w, [outChannels, patch], [patch, 1], w.Offset), w.Offset, false, col, 0, false, product, 0, columns, false);
        var output = Empty(geometry.Batch, outChannels, geometry.OutHeight, geometry.OutWidth);
        var y = output.AsSpan();
        ReadOnlySpan<float> p = product.AsSpan();
        ReadOnlySpan<float> b = bias is null ? default : bias.Contiguous().AsSpan();
        for (int n = 0; n < geometry.Batch; n++)
        for (int o = 0; o < outChannels; o++)
        {
            var src = p.Slice(o * columns + n * spatial, spatial);
            var dst = y.Slice((n * outChannels + o) * spatial, spatial);
            if (bias is null) src.CopyTo(dst);
            else System.Numerics.Tensors.TensorPrimitives.Add(src, b[o], dst);
        }
        bool needed = bias is null ? Backprop.Needed(x, w) : Backprop.Needed(x, w, bias);
        if (needed) Conv2dNode.Attach(output, x, w, bias).Set(geometry, col);
        return output;
    }

    /// <summary>Maximum over kernel×kernel windows of x [N, C, H, W] (PyTorch's <c>F.max_pool2d</c>; padding counts as −∞).</summary>
    public static Tensor MaxPool2d(Tensor input, int kernelSize, int stride = 0, int padding = 0)
    {
        if (stride == 0) stride = kernelSize;
        if (input.RankValue != 4) throw new ArgumentException($"MaxPool2d needs input [N, C, H, W], got {FormatShape(input.Shape)}.");
        if (kernelSize < 1 || stride < 1 || padding < 0 || padding * 2 > kernelSize)
            throw new ArgumentException($"MaxPool2d needs kernel ≥ 1, stride ≥ 1 and 0 ≤ padding ≤ kernel/2; got kernel {kernelSize}, stride {stride}, padding {padding}.");
        var x = input.Contiguous();
        int n = x.ShapeDims[0], c = x.ShapeDims[1], h = x.ShapeDims[2], w = x.ShapeDims[3];
        int oh = (h + 2 * padding - kernelSize) / stride + 1, ow = (w + 2 * padding - kernelSize) / stride + 1;
        if (oh <= 0 || ow <= 0) throw new ArgumentException($"MaxPool2d kernel {kernelSize} does not fit input {FormatShape(input.Shape)}.");
        var output = Empty(n, c, oh, ow);
        ReadOnlySpan<float> src = x.AsSpan();
        var dst = output.AsSpan();
        for (int plane = 0; plane < n * c; plane++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            int best = PoolArgmax(src, plane, h, w, i, j, kernelSize, stride, padding);
            dst[(plane * oh + i) * ow + j] = src[best];
        }
        if (Backprop.Needed(x)) MaxPoolNode.Attach(output, x).Set(kernelSize, stride, padding);
        return output;
    }

    /// <summary>Storage index of the first maximum in a pooling window.</summary>
    private static int PoolArgmax(ReadOnlySpan<float> x, int plane, int h, int w, int i, int j, int kernel, int stride, int padding)
    {
        int best = -1;
        float value = float.NegativeInfinity;
        for (int ki = 0; ki < kernel; ki++)
        {
            int r = i * stride + ki - padding;
            if ((uint)r >= (uint)h) continue;
            for (int kj = 0; kj < kernel; kj++)
            {
                int q = j * stride + kj - padding;
                if ((uint)q >= (uint)w) continue;
                int at = (plane * h + r) * w + q;
                if (best < 0 || x[at] > value || float.IsNaN(x[at]))
                {
                    best = at;
                    value = x[at];
                }
            }
        }
        return best;
    }

    private sealed class Conv2dNode : PooledNode<Conv2dNode>
    {
        private ConvGeometry _geometry;
        private Tensor? _col;

        public void Set(ConvGeometry geometry, Tensor col) => (_geometry, _col) = (geometry, col);

        protected override void Clear() => _col = null;

        public override void Backward(Tensor grad)
        {
            var g = _geometry;
            int patch = g.PatchSize, columns = g.Columns, outChannels = g.OutChannels, spatial = g.Spatial;
            // Gradient of the output laid out as the product was: [O, N·OH·OW].
            var gp = Empty(outChannels, columns);
            var gps = gp.AsSpan();
            ReadOnlySpan<float> gs = grad.AsSpan();
            for (int n = 0; n < g.Batch; n++)
            for (int o = 0; o < outChannels; o++)
                gs.Slice((n * outChannels + o) * spatial, spatial).CopyTo(gps.Slice(o * columns + n * spatial, spatial));
            var w = B!;
            if (Wants(w)) MatmulKernel(outChannels, patch, columns, gp, 0, false, _col!, 0, true, GradOf(w), 0, patch, true);
            if (Wants(C))
            {
                var db = GradOf(C!).AsSpan();
                for (int o = 0; o < outChannels; o++) db[o] += System.Numerics.Tensors.TensorPrimitives.Sum(gps.Slice(o * columns, columns));
            }
            if (Wants(A))
            {
                var gcol = Empty(patch, columns);
                var w2 = View(w, [outChannels, patch], [patch, 1], w.Offset);
                MatmulKernel(patch, columns, outChannels, w2, w.Offset, true, gp, 0, false, gcol, 0, columns, false);
                Im2Col.FoldAdd(gcol, g, GradOf(A!));
            }
        }
    }

    private sealed class MaxPoolNode : PooledNode<MaxPoolNode>
    {
        private int _kernel, _stride, _padding;

        public void Set(int kernel, int stride, int padding) => (_kernel, _stride, _padding) = (kernel, stride, padding);

        public override void Backward(Tensor grad)
        {
            var x = A!;
            int h = x.ShapeDims[2], w = x.ShapeDims[3], oh = grad.ShapeDims[2], ow = grad.ShapeDims[3];
            ReadOnlySpan<float> src = x.AsSpan(), g = grad.AsSpan();
            var d = GradOf(x).AsSpan();
            for (int plane = 0; plane < x.ShapeDims[0] * x.ShapeDims[1]; plane++)
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
                d[PoolArgmax(src, plane, h, w, i, j, _kernel, _stride, _padding)] += g[(plane * oh + i) * ow + j];
        }
    }
}
