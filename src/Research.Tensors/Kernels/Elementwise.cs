using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Research.Tensors.Kernels;

/// <summary>
/// Broadcasting elementwise loops over arbitrary strides. Dimensions that are contiguous for every operand are
/// merged first, so the common cases (same shape, scalar, bias row) run as one vectorised inner loop.
/// </summary>
internal static unsafe class Elementwise
{
    /// <summary>output = op(a, b) with a and b broadcast to output's shape; output may be any (non-overlapping) view.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Binary<TOp>(Tensor output, Tensor a, Tensor b) where TOp : struct, IBinaryOp
    {
        int rank = output.RankValue;
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        Span<int> so = stackalloc int[Tensor.MaxRank];
        Span<int> sa = stackalloc int[Tensor.MaxRank];
        Span<int> sb = stackalloc int[Tensor.MaxRank];
        for (int d = 0; d < rank; d++)
        {
            shape[d] = output.ShapeDims[d];
            so[d] = output.StrideDims[d];
            sa[d] = BroadcastStride(a, d, rank);
            sb[d] = BroadcastStride(b, d, rank);
        }
        int nd = Coalesce(rank, shape, so, sa, sb);
        fixed (float* po = output.Storage, pa = a.Storage, pb = b.Storage)
        {
            float* o = po + output.Offset, x = pa + a.Offset, y = pb + b.Offset;
            if (nd == 1)
            {
                Inner<TOp>(shape[0], o, so[0], x, sa[0], y, sb[0]);
                return;
            }
            Span<int> index = stackalloc int[Tensor.MaxRank];
            index.Clear();
            int outer = 1;
            for (int d = 0; d < nd - 1; d++) outer *= shape[d];
            int n = shape[nd - 1], iso = so[nd - 1], isa = sa[nd - 1], isb = sb[nd - 1];
            long oo = 0, oa = 0, ob = 0;
            for (int it = 0; it < outer; it++)
            {
                Inner<TOp>(n, o + oo, iso, x + oa, isa, y + ob, isb);
                for (int d = nd - 2; d >= 0; d--)
                {
                    index[d]++;
                    oo += so[d];
                    oa += sa[d];
                    ob += sb[d];
                    if (index[d] < shape[d]) break;
                    oo -= (long)so[d] * shape[d];
                    oa -= (long)sa[d] * shape[d];
                    ob -= (long)sb[d] * shape[d];
                    index[d] = 0;
                }
            }
        }
    }

    /// <summary>Copies <paramref name="source"/> (broadcast) into <paramref name="destination"/>'s view.</summary>
    public static void Copy(Tensor destination, Tensor source) => Binary<SecondOp>(destination, destination, source);

    /// <summary>destination += source, with source broadcast to destination's shape.</summary>
    public static void AddInto(Tensor destination, Tensor source) => Binary<AddOp>(destination, destination, source);

    /// <summary>Sets every element of a (possibly strided) view.</summary>
    public static void Fill(Tensor destination, float value) => StridedCopy.Fill(destination, value);

    private static int BroadcastStride(Tensor t, int d, int rank)
    {
        int td = d - (rank - t.RankValue);
        if (td < 0 || t.ShapeDims[td] == 1) return 0;
        return t.StrideDims[td];
    }

    /// <summary>Drops size-1 dimensions and merges neighbours that are contiguous for all operands; returns the new rank (≥ 1).</summary>
    private static int Coalesce(int rank, Span<int> shape, Span<int> so, Span<int> sa, Span<int> sb)
    {
        int n = 0;
        for (int d = 0; d < rank; d++)
        {
            if (shape[d] == 1) continue;
            if (n > 0 && so[n - 1] == so[d] * shape[d] && sa[n - 1] == sa[d] * shape[d] && sb[n - 1] == sb[d] * shape[d])
            {
                shape[n - 1] *= shape[d];
                so[n - 1] = so[d];
                sa[n - 1] = sa[d];
                sb[n - 1] = sb[d];
                continue;
            }
            shape[n] = shape[d];
            so[n] = so[d];
            sa[n] = sa[d];
            sb[n] = sb[d];
            n++;
        }
        if (n == 0)
        {
            shape[0] = 1;
            so[0] = sa[0] = sb[0] = 0;
            n = 1;
        }
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Inner<TOp>(int n, float* o, int so, float* a, int sa, float* b, int sb) where TOp : struct, IBinaryOp
    {
        int i = 0;
        if (so == 1 && Vector256.IsHardwareAccelerated)
        {
            if (sa == 1 && sb == 1)
            {
                for (; i <= n - 8; i += 8) Vector256.Store(TOp.Apply(Vector256.Load(a + i), Vector256.Load(b + i)), o + i);
                for (; i < n; i++) o[i] = TOp.Apply(a[i], b[i]);
                return;
            }
            if (sa == 1 && sb == 0)
            {
                var vb = Vector256.Create(*b);
                for (; i <= n - 8; i += 8) Vector256.Store(TOp.Apply(Vector256.Load(a + i), vb), o + i);
                for (; i < n; i++) o[i] = TOp.Apply(a[i], *b);
                return;
            }
            if (sa == 0 && sb == 1)
            {
                var va = Vector256.Create(*a);
                for (; i <= n - 8; i += 8) Vector256.Store(TOp.Apply(va, Vector256.Load(b + i)), o + i);
                for (; i < n; i++) o[i] = TOp.Apply(*a, b[i]);
                return;
            }
        }
        for (; i < n; i++) o[(long)i * so] = TOp.Apply(a[(long)i * sa], b[(long)i * sb]);
    }
}
