namespace Research.Tensors.Kernels;

/// <summary>Moves elements between a strided view and a flat row-major span.</summary>
internal static class StridedCopy
{
    public static void ToSpan(Tensor source, Span<float> destination)
    {
        Span<int> index = stackalloc int[Tensor.MaxRank];
        index.Clear();
        int rank = source.RankValue;
        int offset = source.Offset;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = source.Storage[offset];
            offset = Advance(source, index, rank, offset);
        }
    }

    public static void FromSpan(ReadOnlySpan<float> source, Tensor destination)
    {
        Span<int> index = stackalloc int[Tensor.MaxRank];
        index.Clear();
        int rank = destination.RankValue;
        int offset = destination.Offset;
        for (int i = 0; i < source.Length; i++)
        {
            destination.Storage[offset] = source[i];
            offset = Advance(destination, index, rank, offset);
        }
    }

    public static void Fill(Tensor destination, float value)
    {
        Span<int> index = stackalloc int[Tensor.MaxRank];
        index.Clear();
        int offset = destination.Offset;
        for (int i = 0; i < destination.CountValue; i++)
        {
            destination.Storage[offset] = value;
            offset = Advance(destination, index, destination.RankValue, offset);
        }
    }

    private static int Advance(Tensor t, Span<int> index, int rank, int offset)
    {
        for (int d = rank - 1; d >= 0; d--)
        {
            index[d]++;
            offset += t.StrideDims[d];
            if (index[d] < t.ShapeDims[d]) return offset;
            offset -= t.StrideDims[d] * t.ShapeDims[d];
            index[d] = 0;
        }
        return offset;
    }
}
