using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Research.Tensors.Kernels;

/// <summary>Row-wise helpers of the fused linear layer: broadcasting the bias into every row, and summing rows into it for its gradient.</summary>
internal static class RowOps
{
    /// <summary>Writes <paramref name="row"/> into each of the rows of <paramref name="matrix"/> (row-major, <c>row.Length</c> columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FillRows(ReadOnlySpan<float> row, Span<float> matrix)
    {
        // A register loop rather than a memmove call per row: layer widths are small.
        int columns = row.Length;
        ref float source = ref MemoryMarshal.GetReference(row);
        ref float destination = ref MemoryMarshal.GetReference(matrix);
        for (int r = 0; r + columns <= matrix.Length; r += columns)
        {
            int j = 0;
            for (; j <= columns - 8; j += 8) Vector256.LoadUnsafe(ref source, (nuint)j).StoreUnsafe(ref destination, (nuint)(r + j));
            for (; j < columns; j++) Unsafe.Add(ref destination, r + j) = Unsafe.Add(ref source, j);
        }
    }

    /// <summary>
    /// sums[j] += Σ_r matrix[r, j], adding the rows one after another in order (the same sequence of roundings as adding
    /// each row in turn), with eight columns per register.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddColumnSums(ReadOnlySpan<float> matrix, Span<float> sums)
    {
        int columns = sums.Length, rows = columns == 0 ? 0 : matrix.Length / columns;
        ref float m = ref MemoryMarshal.GetReference(matrix);
        ref float s = ref MemoryMarshal.GetReference(sums);
        int j = 0;
        for (; j <= columns - 8; j += 8)
        {
            var acc = Vector256.LoadUnsafe(ref s, (nuint)j);
            for (int r = 0; r < rows; r++) acc += Vector256.LoadUnsafe(ref m, (nuint)(r * columns + j));
            acc.StoreUnsafe(ref s, (nuint)j);
        }
        for (; j < columns; j++)
        {
            float acc = sums[j];
            for (int r = 0; r < rows; r++) acc += matrix[r * columns + j];
            sums[j] = acc;
        }
    }
}
