using System.Numerics.Tensors;
using Research.Tensors.Autograd;
using Research.Tensors.Kernels;

namespace Research.Tensors;

public sealed partial class Tensor
{
    /// <summary>Sum of all elements (a rank-0 tensor).</summary>
    public Tensor Sum()
    {
        var source = Contiguous();
        var output = Allocate([], zero: false, persistent: false);
        output.Storage[output.Offset] = TensorPrimitives.Sum((ReadOnlySpan<float>)source.AsSpan());
        if (Backprop.Needed(source)) ReduceNode.Attach(output, source).Set(ReduceKind.SumAll, 0, 1f);
        return output;
    }

    /// <summary>Mean of all elements (a rank-0 tensor).</summary>
    public Tensor Mean()
    {
        var source = Contiguous();
        var output = Allocate([], zero: false, persistent: false);
        output.Storage[output.Offset] = TensorPrimitives.Sum((ReadOnlySpan<float>)source.AsSpan()) / source.CountValue;
        if (Backprop.Needed(source)) ReduceNode.Attach(output, source).Set(ReduceKind.SumAll, 0, 1f / source.CountValue);
        return output;
    }

    /// <summary>Sum along <paramref name="dim"/>.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => Reduce(ReduceKind.Sum, dim, keepDim);

    /// <summary>Mean along <paramref name="dim"/>.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => Reduce(ReduceKind.Mean, dim, keepDim);

    /// <summary>Largest value along <paramref name="dim"/> (the gradient goes to the first maximum).</summary>
    public Tensor Max(int dim, bool keepDim = false) => Reduce(ReduceKind.Max, dim, keepDim);

    /// <summary>Smallest value along <paramref name="dim"/> (the gradient goes to the first minimum).</summary>
    public Tensor Min(int dim, bool keepDim = false) => Reduce(ReduceKind.Min, dim, keepDim);

    /// <summary>Index (as a float) of the first largest value along <paramref name="dim"/>; not differentiable.</summary>
    public Tensor Argmax(int dim, bool keepDim = false) => Reduce(ReduceKind.Argmax, dim, keepDim);

    /// <summary>Largest element.</summary>
    public float MaxValue() => TensorPrimitives.Max((ReadOnlySpan<float>)Contiguous().AsSpan());

    /// <summary>Smallest element.</summary>
    public float MinValue() => TensorPrimitives.Min((ReadOnlySpan<float>)Contiguous().AsSpan());

    private Tensor Reduce(ReduceKind kind, int dim, bool keepDim)
    {
        int d0 = NormalizeDim(dim);
        var source = Contiguous();
        GetLayout(d0, out int outer, out int size, out int inner);
        if (size == 0 && kind is ReduceKind.Max or ReduceKind.Min or ReduceKind.Argmax)
            throw new ArgumentException($"Cannot take {kind} over empty dimension {dim} of shape {FormatShape(Shape)}.");
        var output = Empty(ReducedShape(d0, keepDim, stackalloc int[MaxRank]));
        ReadOnlySpan<float> x = source.AsSpan();
        var y = output.AsSpan();
        for (int o = 0; o < outer; o++)
        {
            var block = x.Slice(o * size * inner, size * inner);
            var result = y.Slice(o * inner, inner);
            switch (kind)
            {
                case ReduceKind.Sum:
                case ReduceKind.Mean:
                    if (inner == 1) result[0] = TensorPrimitives.Sum(block);
                    else
                    {
                        result.Clear();
                        for (int s = 0; s < size; s++) TensorPrimitives.Add(result, block.Slice(s * inner, inner), result);
                    }
                    if (kind == ReduceKind.Mean) TensorPrimitives.Multiply(result, 1f / size, result);
                    break;
                case ReduceKind.Max:
                    if (inner == 1) result[0] = TensorPrimitives.Max(block);
                    else
                    {
                        block[..inner].CopyTo(result);
                        for (int s = 1; s < size; s++) TensorPrimitives.Max(result, block.Slice(s * inner, inner), result);
                    }
                    break;
                case ReduceKind.Min:
                    if (inner == 1) result[0] = TensorPrimitives.Min(block);
                    else
                    {
                        block[..inner].CopyTo(result);
                        for (int s = 1; s < size; s++) TensorPrimitives.Min(result, block.Slice(s * inner, inner), result);
                    }
                    break;
                case ReduceKind.Argmax:
                    for (int i = 0; i < inner; i++) result[i] = ExtremeIndex(block, size, inner, i, max: true);
                    break;
            }
        }
        if (kind != ReduceKind.Argmax && Backprop.Needed(source))
            ReduceNode.Attach(output, source).Set(kind, d0, kind == ReduceKind.Mean ? 1f / size : 1f);
        return output;
    }

    private void GetLayout(int dim, out int outer, out int size, out int inner)
    {
        outer = 1;
        inner = 1;
        for (int d = 0; d < dim; d++) outer *= ShapeDims[d];
        for (int d = dim + 1; d < RankValue; d++) inner *= ShapeDims[d];
        size = ShapeDims[dim];
    }

    private ReadOnlySpan<int> ReducedShape(int dim, bool keepDim, Span<int> buffer)
    {
        int r = 0;
        for (int d = 0; d < RankValue; d++)
        {
            if (d != dim) buffer[r++] = ShapeDims[d];
            else if (keepDim) buffer[r++] = 1;
        }
        return buffer[..r];
    }

    private static int ExtremeIndex(ReadOnlySpan<float> block, int size, int inner, int i, bool max)
    {
        int best = 0;
        float value = block[i];
        for (int s = 1; s < size; s++)
        {
            float v = block[s * inner + i];
            if (max ? v > value : v < value)
            {
                value = v;
                best = s;
            }
        }
        return best;
    }

    private enum ReduceKind { SumAll, Sum, Mean, Max, Min, Argmax }

    private sealed class ReduceNode : PooledNode<ReduceNode>
    {
        private ReduceKind _kind;
        private int _dim;
        private float _scale;

        public void Set(ReduceKind kind, int dim, float scale) => (_kind, _dim, _scale) = (kind, dim, scale);

        public override void Backward(Tensor grad)
        {
            var target = GradOf(A!);
            if (_kind == ReduceKind.SumAll)
            {
                TensorPrimitives.Add(target.AsSpan(), grad.Storage[grad.Offset] * _scale, target.AsSpan());
                return;
            }
            A!.GetLayout(_dim, out int outer, out int size, out int inner);
            ReadOnlySpan<float> g = grad.AsSpan();
            var d = target.AsSpan();
            if (_kind is ReduceKind.Sum or ReduceKind.Mean)
            {
                for (int o = 0; o < outer; o++)
                {
                    var gRow = g.Slice(o * inner, inner);
                    for (int s = 0; s < size; s++)
                    {
                        var dRow = d.Slice((o * size + s) * inner, inner);
                        TensorPrimitives.MultiplyAdd(gRow, _scale, dRow, dRow);
                    }
                }
                return;
            }
            ReadOnlySpan<float> x = A!.AsSpan();
            for (int o = 0; o < outer; o++)
            {
                var block = x.Slice(o * size * inner, size * inner);
                for (int i = 0; i < inner; i++)
                {
                    int s = ExtremeIndex(block, size, inner, i, _kind == ReduceKind.Max);
                    d[(o * size + s) * inner + i] += g[o * inner + i];
                }
            }
        }
    }
}
