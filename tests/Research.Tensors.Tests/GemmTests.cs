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
