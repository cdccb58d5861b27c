namespace Research.Tensors.Kernels;

/// <summary>NumPy broadcasting of shapes, and the reverse: summing a broadcast gradient back to an input's shape.</summary>
internal static class Broadcast
{
    /// <summary>Writes the broadcast of <paramref name="a"/> and <paramref name="b"/> into <paramref name="result"/>; returns its rank.</summary>
    public static int Shapes(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result, string operation)
    {
        int rank = Math.Max(a.Length, b.Length);
        for (int d = 0; d < rank; d++)
        {
            int ad = d - (rank - a.Length), bd = d - (rank - b.Length);
            int sa = ad < 0 ? 1 : a[ad], sb = bd < 0 ? 1 : b[bd];
            if (sa != sb && sa != 1 && sb != 1)
                throw new ArgumentException($"Cannot broadcast shapes {Tensor.FormatShape(a)} and {Tensor.FormatShape(b)} in {operation}: dimension {d} is {sa} vs {sb}.");
            result[d] = sa == 1 ? sb : sa;
        }
        return rank;
    }

    /// <summary>
    /// destination op= source summed over the dimensions where destination was broadcast to source's shape.
    /// Writes through a stride-0 view, so repeated elements accumulate in order (deterministic).
    /// </summary>
    public static void ReduceInto<TOp>(Tensor destination, Tensor source) where TOp : struct, IBinaryOp
    {
        if (destination.Shape.SequenceEqual(source.Shape))
        {
            Elementwise.Binary<TOp>(destination, destination, source);
            return;
        }
        int rank = source.RankValue;
        Span<int> strides = stackalloc int[Tensor.MaxRank];
        for (int d = 0; d < rank; d++)
        {
            int dd = d - (rank - destination.RankValue);
            strides[d] = dd < 0 || destination.ShapeDims[dd] == 1 ? 0 : destination.StrideDims[dd];
        }
        var expanded = Tensor.View(destination, source.Shape, strides[..rank], destination.Offset);
        Elementwise.Binary<TOp>(expanded, expanded, source);
    }
}
