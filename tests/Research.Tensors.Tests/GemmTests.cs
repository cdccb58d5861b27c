namespace Research.Tensors.Tests;

public class GemmTests
{
    [Theory]
    [InlineData(1, 4, 64)]
    [InlineData(1, 64, 2)]
    [InlineData(5, 3, 7)]
    [InlineData(64, 64, 64)]
    [InlineData(13, 37, 29)]
    [InlineData(130, 150, 300)]
    [InlineData(257, 260, 270)]
    public void MatchesNaiveProductForAllLayouts(int m, int k, int n)
    {
        var g = new Generator((ulong)(m * 1000 + k * 10 + n));
        var a = Tensor.Randn(g, m, k);
        var b = Tensor.Randn(g, k, n);
        var expected = Naive(a, b);
        Golden.AssertClose("A·B", expected, Tensor.Matmul(a, b).ToArray(), 1e-5);
        var aT = Tensor.Randn(g, k, m);
        var bT = Tensor.Randn(g, n, k);
        Golden.AssertClose("Aᵀ·Bᵀ", Naive(aT.T(), bT.T()), Tensor.Matmul(aT.T(), bT.T()).ToArray(), 1e-5);
    }

    [Theory]
    [InlineData(64, 256, 4)]
    [InlineData(9, 5, 1)]
    [InlineData(100, 33, 7)]
    public void NarrowProductOfTransposedAIsTheSequentialFmaChain(int m, int k, int n)
    {
        // The weight gradient of a layer with few inputs (Gᵀ·X) takes the transposed route; each element must still be
        // one FMA chain over k from zero, as in the wide kernels, so that training is bit-identical whichever route runs.
        var g = new Generator((ulong)(m + k + n));
        var aT = Tensor.Randn(g, k, m);
        var b = Tensor.Randn(g, k, n);
        float[] x = aT.ToArray(), y = b.ToArray();
        var expected = new float[m * n];
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            float s = 0;
            for (int p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(x[p * m + i], y[p * n + j], s);
            expected[i * n + j] = s;
        }
        Assert.Equal(expected, Tensor.Matmul(aT.T(), b).ToArray());
    }

    [Fact]
    public void ThreadCountDoesNotChangeBits()
    {
        var g = new Generator(3);
        var a = Tensor.Randn(g, 300, 200);
        var b = Tensor.Randn(g, 200, 400);
        float[] one, two;
        using (Parallelism.Limit(1)) one = Tensor.Matmul(a, b).ToArray();
        using (Parallelism.Limit(2)) two = Tensor.Matmul(a, b).ToArray();
        Assert.Equal(one, two);
    }

    [Theory]
    [InlineData(64, 256, 256)]
    [InlineData(128, 256, 256)]
    [InlineData(256, 64, 256)]
    [InlineData(131, 97, 301)]
    [InlineData(301, 37, 401)]
    [InlineData(97, 300, 83)]
    [InlineData(7, 1030, 449)]
    [InlineData(1000, 9, 251)]
    public void ThreadedProductsAreBitIdenticalToOneThreadForEveryLayout(int m, int k, int n)
    {
        // The DQN shapes (x·Wᵀ, G·W, Gᵀ·X of a 256-wide layer at batch 64 and 128) and odd ones whose stripes end mid-tile,
        // all above the size at which products are split across threads.
        var g = new Generator((ulong)(m * 7 + k * 3 + n));
        var a = Tensor.Randn(g, m, k);
        var b = Tensor.Randn(g, k, n);
        var aT = Tensor.Randn(g, k, m);
        var bT = Tensor.Randn(g, n, k);
        var accumulateInto = Tensor.Randn(g, m, n);
        foreach (var (x, y) in new[] { (a, b), (a, bT.T()), (aT.T(), b), (aT.T(), bT.T()) })
        {
            float[] one, two, oneAccumulated, twoAccumulated;
            using (Parallelism.Limit(1))
            {
                one = Tensor.Matmul(x, y).ToArray();
                oneAccumulated = Tensor.Linear(x, y.T(), accumulateInto.Select(0, 0)).ToArray();
            }
            using (Parallelism.Limit(2))
            {
                two = Tensor.Matmul(x, y).ToArray();
                twoAccumulated = Tensor.Linear(x, y.T(), accumulateInto.Select(0, 0)).ToArray();
            }
            Assert.Equal(one, two);
            Assert.Equal(oneAccumulated, twoAccumulated);
        }
    }

    [Theory]
    [InlineData(1, 256, 256)]
    [InlineData(3, 256, 256)]
    [InlineData(2, 203, 250)]
    public void FewRowsThroughALargeTransposedWeightEqualThoseRowsOfABatch(int m, int k, int n)
    {
        // Acting on one observation must give the Q-values (and so the greedy action) that a batch forward pass gives.
        var g = new Generator((ulong)(m + k + n));
        var weight = Tensor.Randn(g, n, k);
        var batch = Tensor.Randn(g, 64, k);
        var few = batch.Narrow(0, 0, m).Contiguous();
        var fromBatch = Tensor.Matmul(batch, weight.T()).Narrow(0, 0, m).Contiguous().ToArray();
        Assert.Equal(fromBatch, Tensor.Matmul(few, weight.T()).ToArray());
        Golden.AssertClose("few rows", Naive(few, weight.T()), Tensor.Matmul(few, weight.T()).ToArray(), 1e-5);
    }

    [Fact]
    public void ConcurrentCallersGetTheirOwnResults()
    {
        // Two threads posting products at once: one gets the worker pool, the other runs inline; neither sees the other's job.
        var g = new Generator(11);
        var inputs = Enumerable.Range(0, 4).Select(_ => (Tensor.Randn(g, 64, 256), Tensor.Randn(g, 256, 256))).ToArray();
        var expected = inputs.Select(p => { using (Parallelism.Limit(1)) return Tensor.Matmul(p.Item1, p.Item2).ToArray(); }).ToArray();
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            for (int repeat = 0; repeat < 20; repeat++)
                Assert.Equal(expected[i], Tensor.Matmul(inputs[i].Item1, inputs[i].Item2).ToArray());
        });
    }

    private static float[] Naive(Tensor a, Tensor b)
    {
        int m = a.Shape[0], k = a.Shape[1], n = b.Shape[1];
        var result = new float[m * n];
        float[] x = a.ToArray(), y = b.ToArray();
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            double s = 0;
            for (int p = 0; p < k; p++) s += (double)x[i * k + p] * y[p * n + j];
            result[i * n + j] = (float)s;
        }
        return result;
    }
}
