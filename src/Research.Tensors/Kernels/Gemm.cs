using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Research.Tensors.Kernels;

/// <summary>
/// Single-precision matrix multiply C (+)= A·B over arbitrary strides.
/// Small problems run a register-blocked kernel straight from the operands; large ones are packed into
/// cache-sized panels (BLIS-style) and split across threads in stripes of whole micro-tiles.
/// </summary>
internal static unsafe class Gemm
{
    private const int Mr = 6;
    private const int Nr = 16;
    private const int Kc = 256;
    private const int Mc = 120;
    private const int Nc = 2048;

    /// <summary>Problems whose row-major B operand fits in this many floats run unpacked (B stays in L2).</summary>
    private const int DirectMaxB = 64 * 1024;

    /// <summary>A transposed B up to this many floats is copied row-major and run unpacked; larger ones are packed.</summary>
    private const int DirectMaxTransposedB = 48 * 1024;

    /// <summary>
    /// Multiply-adds below which products stay on one thread. A 64×256·256×256 product (4.2 M, DQN's hidden layer) gains
    /// 1.2–1.5× from a second thread (measured with the other core only partly free); PPO's 256×64·64×64 (1 M) is kept
    /// single-threaded, because between its short products a helper would mostly poll on a core the environments could use.
    /// </summary>
    private const long MinParallelWork = 1L << 21;

    [ThreadStatic] private static float[]? s_packA;
    [ThreadStatic] private static float[]? s_packB;
    [ThreadStatic] private static float[]? s_transposedC;
    [ThreadStatic] private static SplitProduct? s_split;

    /// <summary>
    /// C[i,j] (+)= Σ_p A[i,p]·B[p,j], where A[i,p] = a[i·ars + p·acs], B[p,j] = b[p·brs + j·bcs], C[i,j] = c[i·ldc + j].
    /// </summary>
    public static void Multiply(int m, int n, int k, float* a, int ars, int acs, float* b, int brs, int bcs,
        float* c, int ldc, bool accumulate)
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) for (int i = 0; i < m; i++) new Span<float>(c + (long)i * ldc, n).Clear();
            return;
        }
        if (bcs == 1 && (long)k * n <= DirectMaxB)
        {
            if (n < 8 && ars == 1 && m >= 8 && (long)k * m <= DirectMaxB) NarrowTransposed(m, n, k, a, acs, b, brs, c, ldc, accumulate);
            // A large transposed A (the weight gradient Gᵀ·X of a wide layer) streams better packed: 104 against 150 µs at
            // 256×64·64×256; at 64×64·64×64 (PPO) packing costs more than it saves (10.1 against 6.5 µs).
            else if (ars == 1 && acs != 1 && (long)m * n * k >= MinParallelWork) Split(Route.Packed, m, n, k, a, ars, acs, b, brs, 1, c, ldc, accumulate);
            else Split(Route.Direct, m, n, k, a, ars, acs, b, brs, 1, c, ldc, accumulate);
            return;
        }
        bool smallTransposedB = bcs != 1 && (long)k * n <= DirectMaxTransposedB;
        // A few rows times a small transposed B (one observation through a small policy's x·Wᵀ, value heads): dot products.
        if (smallTransposedB && brs == 1 && acs == 1 && (n < Nr || m < 4))
        {
            Dots(m, n, k, a, ars, b, bcs, c, ldc, accumulate);
            return;
        }
        // A few rows times a large transposed B (one observation through a 256-wide layer): packing would fill six-row
        // tiles to use one (44 µs at 256×256). Within one k block this is the same FMA chain per element as the packed
        // route, so acting agrees bit for bit with a batch forward pass.
        if (bcs != 1 && brs == 1 && m < 4 && k <= Kc)
        {
            FewRowsTransposed(m, n, k, a, ars, acs, b, bcs, c, ldc, accumulate);
            return;
        }
        if (smallTransposedB)
        {
            // Transpose B into a row-major scratch panel so the direct kernel can stream it.
            var scratch = PackBuffer(ref s_packB, Kc * Nc);
            fixed (float* t = scratch)
            {
                CopyRowMajor(k, n, b, brs, bcs, t);
                Split(Route.Direct, m, n, k, a, ars, acs, t, n, 1, c, ldc, accumulate);
            }
            return;
        }
        Split(Route.Packed, m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate);
    }

    private enum Route { Direct, Packed }

    /// <summary>
    /// Runs <paramref name="route"/> on one thread, or above <see cref="MinParallelWork"/> cut into stripes of whole
    /// micro-tiles (rows when C is taller than wide, else columns) on the <see cref="WorkerPool"/>. A stripe is a smaller
    /// product over the same k, so every element is the same FMA chain whichever thread computes it.
    /// </summary>
    private static void Split(Route route, int m, int n, int k, float* a, int ars, int acs, float* b, int brs, int bcs,
        float* c, int ldc, bool accumulate)
    {
        long work = (long)m * n * k;
        int threads = work < MinParallelWork ? 1 : (int)Math.Min(Parallelism.MaxThreads, work / (MinParallelWork / 2));
        bool byRows = m >= n;
        int tile = byRows ? Mr : Nr;
        int tiles = ((byRows ? m : n) + tile - 1) / tile;
        int parts = Math.Min(threads, tiles);
        if (parts <= 1)
        {
            Run(route, m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate);
            return;
        }
        var job = s_split ??= new SplitProduct();
        job.Set(route, m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate, byRows, tiles, parts);
        WorkerPool.Run(job, parts, threads);
    }

    private static void Run(Route route, int m, int n, int k, float* a, int ars, int acs, float* b, int brs, int bcs,
        float* c, int ldc, bool accumulate)
    {
        if (route == Route.Direct) Direct(m, n, k, a, ars, acs, b, brs, c, ldc, accumulate);
        else Packed(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, accumulate);
    }

    /// <summary>One product's stripes as pool work; reused per calling thread, so posting a product allocates nothing.</summary>
    private sealed class SplitProduct : IPartitionedWork
    {
        private Route _route;
        private int _m, _n, _k, _ars, _acs, _brs, _bcs, _ldc, _tiles, _parts;
        private nint _a, _b, _c;
        private bool _accumulate, _byRows;

        public void Set(Route route, int m, int n, int k, float* a, int ars, int acs, float* b, int brs, int bcs,
            float* c, int ldc, bool accumulate, bool byRows, int tiles, int parts)
        {
            (_route, _m, _n, _k, _ars, _acs, _brs, _bcs, _ldc) = (route, m, n, k, ars, acs, brs, bcs, ldc);
            (_a, _b, _c, _accumulate, _byRows, _tiles, _parts) = ((nint)a, (nint)b, (nint)c, accumulate, byRows, tiles, parts);
        }

        public void RunPart(int part)
        {
            int tile = _byRows ? Mr : Nr;
            int extent = _byRows ? _m : _n;
            int first = (int)((long)_tiles * part / _parts) * tile;
            int last = Math.Min(extent, (int)((long)_tiles * (part + 1) / _parts) * tile);
            if (first >= last) return;
            float* a = (float*)_a, b = (float*)_b, c = (float*)_c;
            if (_byRows)
                Run(_route, last - first, _n, _k, a + (long)first * _ars, _ars, _acs, b, _brs, _bcs, c + (long)first * _ldc, _ldc, _accumulate);
            else
                Run(_route, _m, last - first, _k, a, _ars, _acs, b + (long)first * _bcs, _brs, _bcs, c + first, _ldc, _accumulate);
        }
    }

    private static float[] PackBuffer(ref float[]? buffer, int length) =>
        buffer is not null && buffer.Length >= length ? buffer : buffer = GC.AllocateUninitializedArray<float>(length, pinned: true);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Packed(int m, int n, int k, float* a, int ars, int acs, float* b, int brs, int bcs,
        float* c, int ldc, bool accumulate)
    {
        var packA = PackBuffer(ref s_packA, Mc * Kc);
        var packB = PackBuffer(ref s_packB, Kc * Nc);
        float* tile = stackalloc float[Mr * Nr];
        fixed (float* ap = packA, bp = packB)
        {
            for (int jc = 0; jc < n; jc += Nc)
            {
                int nc = Math.Min(Nc, n - jc);
                for (int pc = 0; pc < k; pc += Kc)
                {
                    int kc = Math.Min(Kc, k - pc);
                    bool acc = accumulate || pc > 0;
                    PackB(kc, nc, b + (long)pc * brs + (long)jc * bcs, brs, bcs, bp);
                    for (int ic = 0; ic < m; ic += Mc)
                    {
                        int mc = Math.Min(Mc, m - ic);
                        PackA(mc, kc, a + (long)ic * ars + (long)pc * acs, ars, acs, ap);
                        for (int jr = 0; jr < nc; jr += Nr)
                        {
                            int nr = Math.Min(Nr, nc - jr);
                            float* bPanel = bp + (long)jr * kc;
                            for (int ir = 0; ir < mc; ir += Mr)
                            {
                                int mr = Math.Min(Mr, mc - ir);
                                float* aPanel = ap + (long)ir * kc;
                                float* cTile = c + (long)(ic + ir) * ldc + jc + jr;
                                if (mr == Mr && nr == Nr)
                                {
                                    Kernel6x16(kc, aPanel, 1, Mr, bPanel, Nr, cTile, ldc, acc);
                                }
                                else
                                {
                                    Kernel6x16(kc, aPanel, 1, Mr, bPanel, Nr, tile, Nr, false);
                                    for (int i = 0; i < mr; i++)
                                    for (int j = 0; j < nr; j++)
                                        cTile[(long)i * ldc + j] = acc ? cTile[(long)i * ldc + j] + tile[i * Nr + j] : tile[i * Nr + j];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Packs a kc×nc block of B into Nr-wide panels, zero-padding the last one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(int kc, int nc, float* b, int brs, int bcs, float* dst)
    {
        for (int jr = 0; jr < nc; jr += Nr)
        {
            int nr = Math.Min(Nr, nc - jr);
            float* src = b + (long)jr * bcs;
            if (nr == Nr && brs == 1 && Avx.IsSupported)
            {
                // A transposed B (the weight in x·Wᵀ): 8×8 register transposes instead of a strided gather.
                int k8 = kc - kc % 8;
                for (int p = 0; p < k8; p += 8)
                {
                    Transpose8x8(src + p, bcs, dst + (long)p * Nr, Nr);
                    Transpose8x8(src + 8L * bcs + p, bcs, dst + (long)p * Nr + 8, Nr);
                }
                for (int p = k8; p < kc; p++)
                for (int j = 0; j < Nr; j++) dst[(long)p * Nr + j] = src[p + (long)j * bcs];
                dst += (long)kc * Nr;
                continue;
            }
            if (nr == Nr && bcs == 1)
            {
                for (int p = 0; p < kc; p++, dst += Nr)
                {
                    float* row = src + (long)p * brs;
                    Vector256.Store(Vector256.Load(row), dst);
                    Vector256.Store(Vector256.Load(row + 8), dst + 8);
                }
                continue;
            }
            for (int p = 0; p < kc; p++, dst += Nr)
            {
                float* row = src + (long)p * brs;
                int j = 0;
                for (; j < nr; j++) dst[j] = row[(long)j * bcs];
                for (; j < Nr; j++) dst[j] = 0;
            }
        }
    }

    /// <summary>Packs an mc×kc block of A into Mr-tall panels (column by column), zero-padding the last one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(int mc, int kc, float* a, int ars, int acs, float* dst)
    {
        for (int ir = 0; ir < mc; ir += Mr)
        {
            int mr = Math.Min(Mr, mc - ir);
            float* src = a + (long)ir * ars;
            for (int p = 0; p < kc; p++, dst += Mr)
            {
                float* col = src + (long)p * acs;
                int i = 0;
                for (; i < mr; i++) dst[i] = col[(long)i * ars];
                for (; i < Mr; i++) dst[i] = 0;
            }
        }
    }

    /// <summary>Copies the k×n matrix B (element (p, j) at b[p·brs + j·bcs]) into row-major <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRowMajor(int k, int n, float* b, int brs, int bcs, float* destination)
    {
        if (brs == 1)
        {
            // B is a transposed row-major matrix (a weight in x·Wᵀ): 8×8 blocks in registers, then the edges.
            int n8 = Avx.IsSupported ? n - n % 8 : 0, k8 = Avx.IsSupported ? k - k % 8 : 0;
            for (int j = 0; j < n8; j += 8)
            for (int p = 0; p < k8; p += 8)
                Transpose8x8(b + (long)j * bcs + p, bcs, destination + (long)p * n + j, n);
            for (int j = 0; j < n; j++)
            {
                float* src = b + (long)j * bcs;
                float* dst = destination + j;
                for (int p = j < n8 ? k8 : 0; p < k; p++) dst[(long)p * n] = src[p];
            }
            return;
        }
        for (int p = 0; p < k; p++)
        {
            float* row = destination + (long)p * n;
            float* src = b + (long)p * brs;
            for (int j = 0; j < n; j++) row[j] = src[(long)j * bcs];
        }
    }

    /// <summary>Writes the transpose of the 8×8 block at <paramref name="source"/> (rows <paramref name="sourceStride"/> apart) to <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* source, nint sourceStride, float* destination, nint destinationStride)
    {
        var r0 = Avx.LoadVector256(source);
        var r1 = Avx.LoadVector256(source + sourceStride);
        var r2 = Avx.LoadVector256(source + 2 * sourceStride);
        var r3 = Avx.LoadVector256(source + 3 * sourceStride);
        var r4 = Avx.LoadVector256(source + 4 * sourceStride);
        var r5 = Avx.LoadVector256(source + 5 * sourceStride);
        var r6 = Avx.LoadVector256(source + 6 * sourceStride);
        var r7 = Avx.LoadVector256(source + 7 * sourceStride);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(destination, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(destination + destinationStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(destination + 2 * destinationStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(destination + 3 * destinationStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(destination + 4 * destinationStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(destination + 5 * destinationStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(destination + 6 * destinationStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(destination + 7 * destinationStride, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>
    /// C has fewer columns than one vector (the weight gradient of a layer with few inputs): computes Cᵀ = Bᵀ·Aᵀ, whose
    /// long rows vectorise, into a scratch panel and adds it back transposed. A needs unit row stride so that Aᵀ is a
    /// row-major operand. Every element is still one FMA chain over p from zero, so results equal <see cref="Direct"/>'s bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NarrowTransposed(int m, int n, int k, float* a, int acs, float* b, int brs, float* c, int ldc, bool accumulate)
    {
        var scratch = PackBuffer(ref s_transposedC, n * m);
        fixed (float* t = scratch)
        {
            Direct(n, m, k, b, 1, brs, a, acs, t, m, false);
            for (int j = 0; j < n; j++)
            {
                float* row = t + (long)j * m;
                float* cj = c + j;
                if (accumulate) for (int i = 0; i < m; i++) cj[(long)i * ldc] += row[i];
                else for (int i = 0; i < m; i++) cj[(long)i * ldc] = row[i];
            }
        }
    }

    /// <summary>Unpacked path for B with unit column stride: full 6×16 tiles, then rows and columns left over.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Direct(int m, int n, int k, float* a, int ars, int acs, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        int mFull = m - m % Mr;
        int nFull = n - n % Nr;
        // Four rows left over (as for 64 or 256 rows) still share each B load in a 4×16 tile.
        int mTiled = m - mFull >= 4 ? mFull + 4 : mFull;
        for (int j = 0; j < nFull; j += Nr)
        {
            for (int i = 0; i < mFull; i += Mr)
                Kernel6x16(k, a + (long)i * ars, ars, acs, b + j, ldb, c + (long)i * ldc + j, ldc, accumulate);
            if (mTiled > mFull)
                Kernel4x16(k, a + (long)mFull * ars, ars, acs, b + j, ldb, c + (long)mFull * ldc + j, ldc, accumulate);
        }
        if (nFull < n) Rows(0, mTiled, nFull, n, k, a, ars, acs, b, ldb, c, ldc, accumulate);
        if (mTiled < m) Rows(mTiled, m, 0, n, k, a, ars, acs, b, ldb, c, ldc, accumulate);
    }

    /// <summary>One output row at a time, eight columns per accumulator: the leftovers of <see cref="Direct"/> and GEMV.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(int i0, int i1, int j0, int j1, int k, float* a, int ars, int acs, float* b, int ldb,
        float* c, int ldc, bool accumulate)
    {
        for (int i = i0; i < i1; i++)
        {
            float* ai = a + (long)i * ars;
            float* ci = c + (long)i * ldc;
            int j = j0;
            for (; j <= j1 - 32; j += 32)
            {
                var s0 = Vector256<float>.Zero; var s1 = Vector256<float>.Zero;
                var s2 = Vector256<float>.Zero; var s3 = Vector256<float>.Zero;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb)
                {
                    var x = Vector256.Create(ai[(long)p * acs]);
                    s0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp), s0);
                    s1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 8), s1);
                    s2 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 16), s2);
                    s3 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 24), s3);
                }
                if (accumulate)
                {
                    s0 += Vector256.Load(ci + j); s1 += Vector256.Load(ci + j + 8);
                    s2 += Vector256.Load(ci + j + 16); s3 += Vector256.Load(ci + j + 24);
                }
                Vector256.Store(s0, ci + j); Vector256.Store(s1, ci + j + 8);
                Vector256.Store(s2, ci + j + 16); Vector256.Store(s3, ci + j + 24);
            }
            for (; j <= j1 - 8; j += 8)
            {
                var s = Vector256<float>.Zero;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb) s = Vector256.FusedMultiplyAdd(Vector256.Create(ai[(long)p * acs]), Vector256.Load(bp), s);
                if (accumulate) s += Vector256.Load(ci + j);
                Vector256.Store(s, ci + j);
            }
            for (; j < j1; j++)
            {
                float s = 0;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb) s = MathF.FusedMultiplyAdd(ai[(long)p * acs], *bp, s);
                ci[j] = accumulate ? ci[j] + s : s;
            }
        }
    }

    /// <summary>
    /// A few rows of A times a transposed B (B[p, j] = b[j·bcs + p]): 8×8 blocks of B are transposed in registers, so
    /// sixteen outputs at a time each run one FMA chain over p from zero, as the row and packed kernels do.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FewRowsTransposed(int m, int n, int k, float* a, int ars, int acs, float* b, int bcs, float* c, int ldc, bool accumulate)
    {
        int n16 = Avx.IsSupported ? n - n % 16 : 0, k8 = k - k % 8;
        float* block = stackalloc float[128];
        for (int i = 0; i < m; i++)
        {
            float* ai = a + (long)i * ars;
            float* ci = c + (long)i * ldc;
            for (int j = 0; j < n16; j += 16)
            {
                float* bj = b + (long)j * bcs;
                var s0 = Vector256<float>.Zero;
                var s1 = Vector256<float>.Zero;
                for (int p = 0; p < k8; p += 8)
                {
                    Transpose8x8(bj + p, bcs, block, 16);
                    Transpose8x8(bj + 8L * bcs + p, bcs, block + 8, 16);
                    for (int q = 0; q < 8; q++)
                    {
                        var x = Vector256.Create(ai[(long)(p + q) * acs]);
                        s0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(block + 16 * q), s0);
                        s1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(block + 16 * q + 8), s1);
                    }
                }
                for (int p = k8; p < k; p++)
                {
                    for (int q = 0; q < 16; q++) block[q] = bj[(long)q * bcs + p];
                    var x = Vector256.Create(ai[(long)p * acs]);
                    s0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(block), s0);
                    s1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(block + 8), s1);
                }
                StoreRow(ci + j, s0, s1, accumulate);
            }
            for (int j = n16; j < n; j++)
            {
                float s = 0;
                float* bj = b + (long)j * bcs;
                for (int p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(ai[(long)p * acs], bj[p], s);
                ci[j] = accumulate ? ci[j] + s : s;
            }
        }
    }

    /// <summary>C[i,j] = A row i · B column j, both unit-stride along k: best when C is narrow (value heads, single rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots(int m, int n, int k, float* a, int ars, float* b, int bcs, float* c, int ldc, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            float* ai = a + (long)i * ars;
            for (int j = 0; j < n; j++)
            {
                float s = Dot(ai, b + (long)j * bcs, k);
                float* cij = c + (long)i * ldc + j;
                *cij = accumulate ? *cij + s : s;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(float* x, float* y, int k)
    {
        int p = 0;
        float s = 0;
        if (k >= 16)
        {
            var s0 = Vector256<float>.Zero;
            var s1 = Vector256<float>.Zero;
            for (; p <= k - 16; p += 16)
            {
                s0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + p), Vector256.Load(y + p), s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Load(x + p + 8), Vector256.Load(y + p + 8), s1);
            }
            s = Vector256.Sum(s0 + s1);
        }
        for (; p < k; p++) s = MathF.FusedMultiplyAdd(x[p], y[p], s);
        return s;
    }

    /// <summary>A 6×16 block of C from A (element (i,p) at a[i·ars + p·acs]) and B rows of 16 (row p at b + p·ldb).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel6x16(int kc, float* a, nint ars, nint acs, float* b, nint ldb, float* c, nint ldc, bool accumulate)
    {
        var c00 = Vector256<float>.Zero; var c01 = Vector256<float>.Zero;
        var c10 = Vector256<float>.Zero; var c11 = Vector256<float>.Zero;
        var c20 = Vector256<float>.Zero; var c21 = Vector256<float>.Zero;
        var c30 = Vector256<float>.Zero; var c31 = Vector256<float>.Zero;
        var c40 = Vector256<float>.Zero; var c41 = Vector256<float>.Zero;
        var c50 = Vector256<float>.Zero; var c51 = Vector256<float>.Zero;
        float* a0 = a, a1 = a + ars, a2 = a + 2 * ars, a3 = a + 3 * ars, a4 = a + 4 * ars, a5 = a + 5 * ars;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(*a0);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(*a1);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(*a2);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(*a3);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(*a4);
            c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(*a5);
            c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            a0 += acs; a1 += acs; a2 += acs; a3 += acs; a4 += acs; a5 += acs;
            b += ldb;
        }
        StoreRow(c, c00, c01, accumulate);
        StoreRow(c + ldc, c10, c11, accumulate);
        StoreRow(c + 2 * ldc, c20, c21, accumulate);
        StoreRow(c + 3 * ldc, c30, c31, accumulate);
        StoreRow(c + 4 * ldc, c40, c41, accumulate);
        StoreRow(c + 5 * ldc, c50, c51, accumulate);
    }

    /// <summary>A 4×16 block of C, as <see cref="Kernel6x16"/> (the same FMA chain per element).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel4x16(int kc, float* a, nint ars, nint acs, float* b, nint ldb, float* c, nint ldc, bool accumulate)
    {
        var c00 = Vector256<float>.Zero; var c01 = Vector256<float>.Zero;
        var c10 = Vector256<float>.Zero; var c11 = Vector256<float>.Zero;
        var c20 = Vector256<float>.Zero; var c21 = Vector256<float>.Zero;
        var c30 = Vector256<float>.Zero; var c31 = Vector256<float>.Zero;
        float* a0 = a, a1 = a + ars, a2 = a + 2 * ars, a3 = a + 3 * ars;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(*a0);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(*a1);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(*a2);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(*a3);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            a0 += acs; a1 += acs; a2 += acs; a3 += acs;
            b += ldb;
        }
        StoreRow(c, c00, c01, accumulate);
        StoreRow(c + ldc, c10, c11, accumulate);
        StoreRow(c + 2 * ldc, c20, c21, accumulate);
        StoreRow(c + 3 * ldc, c30, c31, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> v0, Vector256<float> v1, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector256.Load(c);
            v1 += Vector256.Load(c + 8);
        }
        Vector256.Store(v0, c);
        Vector256.Store(v1, c + 8);
    }
}
