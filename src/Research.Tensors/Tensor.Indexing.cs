using Research.Tensors.Autograd;
using Research.Tensors.Kernels;

namespace Research.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// out[…, j, …] = this[…, index[…, j, …], …] along <paramref name="dim"/> (PyTorch's <c>gather</c>). The index holds
    /// integers as floats and has this tensor's shape except along <paramref name="dim"/>.
    /// </summary>
    public Tensor Gather(int dim, Tensor index)
    {
        int d0 = NormalizeDim(dim);
        if (index.RankValue != RankValue)
            throw new ArgumentException($"Gather index has shape {FormatShape(index.Shape)} but the input has shape {FormatShape(Shape)}; ranks must match.");
        for (int d = 0; d < RankValue; d++)
            if (d != d0 && index.ShapeDims[d] != ShapeDims[d])
                throw new ArgumentException($"Gather index shape {FormatShape(index.Shape)} must match input shape {FormatShape(Shape)} outside dimension {dim}.");
        var source = Contiguous();
        var idx = index.Contiguous();
        GetLayout(d0, out int outer, out int size, out int inner);
        int picks = idx.ShapeDims[d0];
        var output = Empty(idx.Shape);
        ReadOnlySpan<float> x = source.AsSpan(), ix = idx.AsSpan();
        var y = output.AsSpan();
        for (int o = 0; o < outer; o++)
        for (int j = 0; j < picks; j++)
        for (int i = 0; i < inner; i++)
        {
            int at = (o * picks + j) * inner + i;
            y[at] = x[(o * size + CheckedIndex(ix[at], size, "Gather")) * inner + i];
        }
        if (Backprop.Needed(source)) GatherNode.Attach(output, source, null, idx).Dim = d0;
        return output;
    }

    /// <summary>The slices at <paramref name="indices"/> along <paramref name="dim"/>, in that order (PyTorch's <c>index_select</c>).</summary>
    public Tensor IndexSelect(int dim, ReadOnlySpan<int> indices)
    {
        int d0 = NormalizeDim(dim);
        var source = Contiguous();
        GetLayout(d0, out int outer, out int size, out int inner);
        Span<int> shape = stackalloc int[MaxRank];
        Shape.CopyTo(shape);
        shape[d0] = indices.Length;
        var output = Empty(shape[..RankValue]);
        ReadOnlySpan<float> x = source.AsSpan();
        var y = output.AsSpan();
        for (int o = 0; o < outer; o++)
        for (int j = 0; j < indices.Length; j++)
        {
            int s = indices[j];
            if ((uint)s >= (uint)size)
                throw new IndexOutOfRangeException($"IndexSelect index {s} is out of range for dimension {dim} of size {size}.");
            x.Slice((o * size + s) * inner, inner).CopyTo(y.Slice((o * indices.Length + j) * inner, inner));
        }
        if (Backprop.Needed(source)) IndexSelectNode.Attach(output, source).Set(d0, indices);
        return output;
    }

    /// <summary><see cref="IndexSelect(int, ReadOnlySpan{int})"/> with indices held (as floats) in a 1-D tensor.</summary>
    public Tensor IndexSelect(int dim, Tensor indices)
    {
        if (indices.RankValue != 1) throw new ArgumentException($"IndexSelect indices must be 1-D, got {FormatShape(indices.Shape)}.");
        var values = indices.Contiguous().AsSpan();
        Span<int> ints = values.Length <= 256 ? stackalloc int[values.Length] : new int[values.Length];
        for (int i = 0; i < values.Length; i++) ints[i] = CheckedIndex(values[i], int.MaxValue, "IndexSelect");
        return IndexSelect(dim, ints);
    }

    /// <summary>Joins tensors along an existing dimension; all other sizes must match.</summary>
    public static Tensor Concat(ReadOnlySpan<Tensor> tensors, int dim = 0) => Join(tensors, dim, stack: false);

    /// <summary>Joins equally shaped tensors along a new dimension.</summary>
    public static Tensor Stack(ReadOnlySpan<Tensor> tensors, int dim = 0) => Join(tensors, dim, stack: true);

    private static Tensor Join(ReadOnlySpan<Tensor> tensors, int dim, bool stack)
    {
        string name = stack ? "Stack" : "Concat";
        if (tensors.Length == 0) throw new ArgumentException($"{name} needs at least one tensor.");
        var first = tensors[0];
        int d0 = first.NormalizeDim(dim, first.RankValue + (stack ? 1 : 0));
        Span<int> shape = stackalloc int[MaxRank];
        int rank = first.RankValue + (stack ? 1 : 0);
        int total = 0;
        foreach (var t in tensors)
        {
            bool same = t.RankValue == first.RankValue;
            for (int d = 0; same && d < t.RankValue; d++)
                same = t.ShapeDims[d] == first.ShapeDims[d] || (!stack && d == d0);
            if (!same)
                throw new ArgumentException($"{name} needs matching shapes (except along dimension {dim}): {FormatShape(first.Shape)} vs {FormatShape(t.Shape)}.");
            total += stack ? 1 : t.ShapeDims[d0];
        }
        for (int d = 0, s = 0; d < rank; d++)
        {
            if (d == d0)
            {
                shape[d] = total;
                if (!stack) s++;
                continue;
            }
            shape[d] = first.ShapeDims[s++];
        }
        var output = Empty(shape[..rank]);
        bool needed = false;
        int offset = 0;
        foreach (var t in tensors)
        {
            var slot = stack ? output.SelectView(d0, offset) : output.NarrowView(d0, offset, t.ShapeDims[d0]);
            Elementwise.Copy(slot, t);
            offset += stack ? 1 : t.ShapeDims[d0];
            needed |= t.RequiresGrad;
        }
        if (needed && GradMode.IsEnabled) JoinNode.Attach(output, null).Set(tensors, d0, stack);
        return output;
    }

    private static int CheckedIndex(float value, int size, string operation)
    {
        int i = (int)value;
        if (i != value || (uint)i >= (uint)size)
            throw new IndexOutOfRangeException($"{operation} index {value} is not an integer in [0, {size}).");
        return i;
    }

    private sealed class GatherNode : PooledNode<GatherNode>
    {
        public int Dim;

        public override int InputCount => 1;

        public override void Backward(Tensor grad)
        {
            var target = GradOf(A!);
            A!.GetLayout(Dim, out int outer, out int size, out int inner);
            int picks = C!.ShapeDims[Dim];
            ReadOnlySpan<float> g = grad.AsSpan(), ix = C.AsSpan();
            var d = target.AsSpan();
            for (int o = 0; o < outer; o++)
            for (int j = 0; j < picks; j++)
            for (int i = 0; i < inner; i++)
            {
                int at = (o * picks + j) * inner + i;
                d[(o * size + (int)ix[at]) * inner + i] += g[at];
            }
        }
    }

    private sealed class IndexSelectNode : PooledNode<IndexSelectNode>
    {
        private int[] _indices = [];
        private int _count, _dim;

        public void Set(int dim, ReadOnlySpan<int> indices)
        {
            if (_indices.Length < indices.Length) _indices = new int[indices.Length];
            indices.CopyTo(_indices);
            _count = indices.Length;
            _dim = dim;
        }

        public override void Backward(Tensor grad)
        {
            var target = GradOf(A!);
            A!.GetLayout(_dim, out int outer, out int size, out int inner);
            ReadOnlySpan<float> g = grad.AsSpan();
            var d = target.AsSpan();
            for (int o = 0; o < outer; o++)
            for (int j = 0; j < _count; j++)
            {
                var dst = d.Slice((o * size + _indices[j]) * inner, inner);
                System.Numerics.Tensors.TensorPrimitives.Add(dst, g.Slice((o * _count + j) * inner, inner), dst);
            }
        }
    }

    private sealed class JoinNode : PooledNode<JoinNode>
    {
        private readonly List<Tensor> _inputs = new();
        private int _dim;
        private bool _stack;

        public void Set(ReadOnlySpan<Tensor> inputs, int dim, bool stack)
        {
            foreach (var t in inputs) _inputs.Add(t);
            _dim = dim;
            _stack = stack;
        }

        public override int InputCount => _inputs.Count;

        public override Tensor? Input(int i) => _inputs[i];

        public override void Backward(Tensor grad)
        {
            int offset = 0;
            foreach (var t in _inputs)
            {
                int length = _stack ? 1 : t.ShapeDims[_dim];
                if (t.RequiresGrad)
                {
                    var part = _stack ? grad.SelectView(_dim, offset) : grad.NarrowView(_dim, offset, length);
                    Elementwise.AddInto(GradOf(t), part);
                }
                offset += length;
            }
        }

        protected override void Clear() => _inputs.Clear();
    }
}
