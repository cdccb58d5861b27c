using System.Numerics.Tensors;
using Research.Tensors.Autograd;
using Research.Tensors.Kernels;

namespace Research.Tensors;

public sealed partial class Tensor
{
    /// <summary>The same elements with a new shape (one size may be −1 to infer it). A view when contiguous, else a copy.</summary>
    public Tensor Reshape(params ReadOnlySpan<int> shape)
    {
        Span<int> resolved = stackalloc int[MaxRank];
        int rank = ResolveShape(shape, resolved);
        var source = Contiguous();
        Span<int> strides = stackalloc int[MaxRank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= resolved[d];
        }
        var output = View(source, resolved[..rank], strides[..rank], source.Offset);
        source.RecordView(output, ViewKind.SameOrder, 0, 0, 0, default);
        return output;
    }

    /// <summary>Alias of <see cref="Reshape"/> (PyTorch's <c>view</c>).</summary>
    public Tensor View(params ReadOnlySpan<int> shape) => Reshape(shape);

    /// <summary>Collapses dimensions <paramref name="startDim"/> … <paramref name="endDim"/> into one.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        int s = NormalizeDim(startDim), e = NormalizeDim(endDim);
        if (s > e) throw new ArgumentException($"Flatten start dimension {startDim} comes after end dimension {endDim}.");
        Span<int> shape = stackalloc int[MaxRank];
        int rank = 0;
        for (int d = 0; d < s; d++) shape[rank++] = ShapeDims[d];
        int merged = 1;
        for (int d = s; d <= e; d++) merged *= ShapeDims[d];
        shape[rank++] = merged;
        for (int d = e + 1; d < RankValue; d++) shape[rank++] = ShapeDims[d];
        return Reshape(shape[..rank]);
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/>.</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d0 = NormalizeDim(dim, RankValue + 1);
        if (RankValue == MaxRank) throw new InvalidOperationException($"Unsqueeze would exceed {MaxRank} dimensions.");
        Span<int> shape = stackalloc int[MaxRank];
        Span<int> strides = stackalloc int[MaxRank];
        for (int d = 0, s = 0; d <= RankValue; d++)
        {
            if (d == d0)
            {
                shape[d] = 1;
                strides[d] = d < RankValue ? StrideDims[d] * ShapeDims[d] : 1;
                continue;
            }
            shape[d] = ShapeDims[s];
            strides[d] = StrideDims[s];
            s++;
        }
        var output = View(this, shape[..(RankValue + 1)], strides[..(RankValue + 1)], Offset);
        RecordView(output, ViewKind.SameOrder, 0, 0, 0, default);
        return output;
    }

    /// <summary>Removes dimension <paramref name="dim"/>, which must have size 1.</summary>
    public Tensor Squeeze(int dim)
    {
        int d0 = NormalizeDim(dim);
        if (ShapeDims[d0] != 1) throw new ArgumentException($"Squeeze({dim}) needs size 1 there, but shape is {FormatShape(Shape)}.");
        Span<int> shape = stackalloc int[MaxRank];
        Span<int> strides = stackalloc int[MaxRank];
        for (int d = 0, r = 0; d < RankValue; d++)
        {
            if (d == d0) continue;
            shape[r] = ShapeDims[d];
            strides[r++] = StrideDims[d];
        }
        var output = View(this, shape[..(RankValue - 1)], strides[..(RankValue - 1)], Offset);
        RecordView(output, ViewKind.SameOrder, 0, 0, 0, default);
        return output;
    }

    /// <summary>Removes every dimension of size 1.</summary>
    public Tensor Squeeze()
    {
        var result = this;
        for (int d = RankValue - 1; d >= 0; d--)
            if (ShapeDims[d] == 1) result = result.Squeeze(d);
        return result;
    }

    /// <summary>Swaps two dimensions (a view).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        Dims perm = default;
        for (int d = 0; d < RankValue; d++) perm[d] = d;
        int a = NormalizeDim(dim0), b = NormalizeDim(dim1);
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(((ReadOnlySpan<int>)perm)[..RankValue]);
    }

    /// <summary>The transpose of a 2-D tensor (a view).</summary>
    public Tensor T()
    {
        if (RankValue != 2) throw new InvalidOperationException($"T() needs a 2-D tensor, but the shape is {FormatShape(Shape)}.");
        return Transpose(0, 1);
    }

    /// <summary>Reorders dimensions: output dimension i is input dimension <paramref name="dims"/>[i] (a view).</summary>
    public Tensor Permute(params ReadOnlySpan<int> dims)
    {
        if (dims.Length != RankValue) throw new ArgumentException($"Permute got {dims.Length} dimensions for shape {FormatShape(Shape)}.");
        Dims perm = default;
        Span<bool> seen = stackalloc bool[MaxRank];
        Span<int> shape = stackalloc int[MaxRank];
        Span<int> strides = stackalloc int[MaxRank];
        for (int d = 0; d < RankValue; d++)
        {
            int source = NormalizeDim(dims[d]);
            if (seen[source]) throw new ArgumentException($"Permute lists dimension {dims[d]} twice.");
            seen[source] = true;
            perm[d] = source;
            shape[d] = ShapeDims[source];
            strides[d] = StrideDims[source];
        }
        var output = View(this, shape[..RankValue], strides[..RankValue], Offset);
        RecordView(output, ViewKind.Permute, 0, 0, 0, perm);
        return output;
    }

    /// <summary>Elements <paramref name="start"/> … start + length − 1 along <paramref name="dim"/> (a view).</summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        int d0 = NormalizeDim(dim);
        if (start < 0) start += ShapeDims[d0];
        if (start < 0 || length < 0 || start + length > ShapeDims[d0])
            throw new ArgumentOutOfRangeException(nameof(start), $"Narrow({dim}, {start}, {length}) is out of range for shape {FormatShape(Shape)}.");
        var output = NarrowView(d0, start, length);
        RecordView(output, ViewKind.Narrow, d0, start, length, default);
        return output;
    }

    /// <summary>The slice at <paramref name="index"/> along <paramref name="dim"/>, which is removed (a view).</summary>
    public Tensor Select(int dim, int index)
    {
        int d0 = NormalizeDim(dim);
        if (index < 0) index += ShapeDims[d0];
        if ((uint)index >= (uint)ShapeDims[d0])
            throw new ArgumentOutOfRangeException(nameof(index), $"Select({dim}, {index}) is out of range for shape {FormatShape(Shape)}.");
        var output = SelectView(d0, index);
        RecordView(output, ViewKind.Select, d0, index, 1, default);
        return output;
    }

    /// <summary>Repeats size-1 dimensions (and prepends new ones) to reach <paramref name="shape"/> without copying; −1 keeps a size.</summary>
    public Tensor Expand(params ReadOnlySpan<int> shape)
    {
        if (shape.Length < RankValue || shape.Length > MaxRank)
            throw new ArgumentException($"Cannot expand shape {FormatShape(Shape)} to {FormatShape(shape)}.");
        Span<int> sizes = stackalloc int[MaxRank];
        Span<int> strides = stackalloc int[MaxRank];
        int lead = shape.Length - RankValue;
        for (int d = 0; d < shape.Length; d++)
        {
            int sd = d - lead;
            int own = sd < 0 ? 1 : ShapeDims[sd];
            int target = shape[d] == -1 ? own : shape[d];
            if (own != target && own != 1)
                throw new ArgumentException($"Cannot expand shape {FormatShape(Shape)} to {FormatShape(shape)}: dimension {d} is {own}, not 1.");
            sizes[d] = target;
            strides[d] = sd < 0 || own != target ? 0 : StrideDims[sd];
        }
        var output = View(this, sizes[..shape.Length], strides[..shape.Length], Offset);
        RecordView(output, ViewKind.Expand, 0, 0, 0, default);
        return output;
    }

    internal Tensor NarrowView(int dim, int start, int length)
    {
        Span<int> shape = stackalloc int[MaxRank];
        Shape.CopyTo(shape);
        shape[dim] = length;
        return View(this, shape[..RankValue], Strides, Offset + start * StrideDims[dim]);
    }

    internal Tensor SelectView(int dim, int index)
    {
        Span<int> shape = stackalloc int[MaxRank];
        Span<int> strides = stackalloc int[MaxRank];
        for (int d = 0, r = 0; d < RankValue; d++)
        {
            if (d == dim) continue;
            shape[r] = ShapeDims[d];
            strides[r++] = StrideDims[d];
        }
        return View(this, shape[..(RankValue - 1)], strides[..(RankValue - 1)], Offset + index * StrideDims[dim]);
    }

    private int ResolveShape(ReadOnlySpan<int> shape, Span<int> resolved)
    {
        if (shape.Length > MaxRank) throw new ArgumentException($"Shape {FormatShape(shape)} has more than {MaxRank} dimensions.");
        int infer = -1;
        long known = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"Reshape to {FormatShape(shape)}: only one size may be -1.");
                infer = d;
                continue;
            }
            if (shape[d] < 0) throw new ArgumentException($"Reshape to {FormatShape(shape)}: negative size.");
            known *= shape[d];
            resolved[d] = shape[d];
        }
        if (infer >= 0)
        {
            if (known == 0 || CountValue % known != 0)
                throw new ArgumentException($"Cannot reshape shape {FormatShape(Shape)} ({CountValue} elements) to {FormatShape(shape)}.");
            resolved[infer] = (int)(CountValue / known);
            known *= resolved[infer];
        }
        if (known != CountValue)
            throw new ArgumentException($"Cannot reshape shape {FormatShape(Shape)} ({CountValue} elements) to {FormatShape(shape)}.");
        return shape.Length;
    }

    private void RecordView(Tensor output, ViewKind kind, int dim, int start, int length, Dims perm)
    {
        if (!Backprop.Needed(this)) return;
        var node = ViewNode.Attach(output, this);
        node.Kind = kind;
        node.Dim = dim;
        node.Start = start;
        node.Length = length;
        node.Perm = perm;
    }

    private enum ViewKind { SameOrder, Permute, Narrow, Select, Expand }

    private sealed class ViewNode : PooledNode<ViewNode>
    {
        public ViewKind Kind;
        public int Dim, Start, Length;
        public Dims Perm;

        public override void Backward(Tensor grad)
        {
            var target = GradOf(A!);
            switch (Kind)
            {
                case ViewKind.SameOrder:
                    TensorPrimitives.Add(target.AsSpan(), grad.AsSpan(), target.AsSpan());
                    break;
                case ViewKind.Permute:
                    // The gradient buffer seen through the same permutation lines up with grad.
                    int rank = target.RankValue;
                    Span<int> shape = stackalloc int[MaxRank];
                    Span<int> strides = stackalloc int[MaxRank];
                    for (int d = 0; d < rank; d++)
                    {
                        shape[d] = target.ShapeDims[Perm[d]];
                        strides[d] = target.StrideDims[Perm[d]];
                    }
                    Elementwise.AddInto(View(target, shape[..rank], strides[..rank], target.Offset), grad);
                    break;
                case ViewKind.Narrow:
                    Elementwise.AddInto(target.NarrowView(Dim, Start, Length), grad);
                    break;
                case ViewKind.Select:
                    Elementwise.AddInto(target.SelectView(Dim, Start), grad);
                    break;
                case ViewKind.Expand:
                    Broadcast.ReduceInto<AddOp>(target, grad);
                    break;
            }
        }
    }
}
