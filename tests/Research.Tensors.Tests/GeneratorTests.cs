namespace Research.Tensors.Tests;

public class GeneratorTests
{
    [Fact]
    public void StateRestoresTheStreamExactly()
    {
        var g = new Generator(5);
        g.NextNormal();
        var saved = g.State;
        var first = Enumerable.Range(0, 10).Select(_ => g.NextNormal()).ToArray();
        g.State = saved;
        var second = Enumerable.Range(0, 10).Select(_ => g.NextNormal()).ToArray();
        Assert.Equal(first, second);
        Assert.NotEqual(new Generator(5).NextUInt64(), new Generator(6).NextUInt64());
        Assert.Equal(new Generator(5).NextUInt64(), new Generator(5).NextUInt64());
    }

    [Fact]
    public void MomentsAndRangesAreRight()
    {
        var g = new Generator(8);
        var normal = Tensor.Randn(g, 20000).ToArray();
        Assert.InRange(normal.Average(), -0.03, 0.03);
        Assert.InRange(normal.Select(v => v * v).Average(), 0.96, 1.04);
        var uniform = Tensor.Uniform(g, -2f, 3f, 20000).ToArray();
        Assert.True(uniform.All(v => v >= -2f && v < 3f));
        Assert.InRange(uniform.Average(), 0.45, 0.55);
        var counts = new int[3];
        for (int i = 0; i < 30000; i++) counts[g.NextInt(3)]++;
        Assert.All(counts, c => Assert.InRange(c, 9500, 10500));
    }

    [Fact]
    public void PermutationHoldsEveryIndexOnce()
    {
        Span<int> p = stackalloc int[50];
        new Generator(1).Permutation(p);
        Assert.Equal(Enumerable.Range(0, 50), p.ToArray().Order());
    }
}
