namespace Research.Tensors.Tests;

public class TensorTests
{
    [Fact]
    public void CreationAndAccess()
    {
        Assert.Equal(new[] { 0f, 0f }, Tensor.Zeros(2).ToArray());
        Assert.Equal(new[] { 1f, 1f, 1f }, Tensor.Ones(3).ToArray());
        Assert.Equal(new[] { 7f, 7f }, Tensor.Full(7f, 2).ToArray());
        Assert.Equal(new[] { 0f, 1f, 2f }, Tensor.Arange(3).ToArray());
        Assert.Equal(new[] { 1f, 1.5f, 2f, 2.5f }, Tensor.Arange(1f, 3f, 0.5f).ToArray());
        var t = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        Assert.Equal(new[] { 2, 3 }, t.Shape.ToArray());
        Assert.Equal(new[] { 3, 1 }, t.Strides.ToArray());
        Assert.Equal(6f, t[1, 2]);
        Assert.Equal(4f, t[-1, 0]);
        Assert.Equal(5f, Tensor.Scalar(5f).Item());
        Assert.Throws<ArgumentException>(() => Tensor.FromArray([1f, 2f], 3));
        Assert.Throws<InvalidOperationException>(() => t.Item());
    }

    [Fact]
    public void ViewsShareStorage()
    {
        var t = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var transposed = t.T();
        Assert.False(transposed.IsContiguous);
        Assert.Equal(new[] { 1f, 4f, 2f, 5f, 3f, 6f }, transposed.ToArray());
        Assert.Equal(new[] { 2f, 5f }, t.Select(1, 1).ToArray());
        Assert.Equal(new[] { 2f, 3f, 5f, 6f }, t.Narrow(1, 1, 2).ToArray());
        Assert.Equal(new[] { 1, 2, 3 }, t.Unsqueeze(0).Shape.ToArray());
        Assert.Equal(new[] { 2, 3 }, t.Unsqueeze(2).Squeeze(2).Shape.ToArray());
        Assert.Equal(new[] { 3, 2 }, t.Reshape(-1, 2).Shape.ToArray());
        Assert.Equal(new[] { 1f, 4f, 2f, 5f, 3f, 6f }, transposed.Reshape(6).ToArray());
        var expanded = Tensor.FromArray([1f, 2f]).Expand(3, 2);
        Assert.Equal(new[] { 1f, 2f, 1f, 2f, 1f, 2f }, expanded.ToArray());
        t.Narrow(1, 0, 1).Fill(9f);
        Assert.Equal(new[] { 9f, 2f, 3f, 9f, 5f, 6f }, t.ToArray());
        Assert.Throws<ArgumentException>(() => t.Reshape(4, 2));
    }

    [Fact]
    public void BroadcastingFollowsNumPyAndNamesBothShapes()
    {
        var a = Tensor.FromArray([1f, 2f, 3f], 3, 1);
        var b = Tensor.FromArray([10f, 20f], 2);
        Assert.Equal(new[] { 11f, 21f, 12f, 22f, 13f, 23f }, (a + b).ToArray());
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3) + Tensor.Zeros(4));
        Assert.Contains("[2, 3]", error.Message);
        Assert.Contains("[4]", error.Message);
        var matmulError = Assert.Throws<ArgumentException>(() => Tensor.Matmul(Tensor.Zeros(2, 3), Tensor.Zeros(4, 5)));
        Assert.Contains("[2, 3]", matmulError.Message);
        Assert.Contains("[4, 5]", matmulError.Message);
    }

    [Fact]
    public void ReductionsAndIndexing()
    {
        var t = Tensor.FromArray([1f, 5f, 3f, 4f, 2f, 6f], 2, 3);
        Assert.Equal(21f, t.Sum().Item());
        Assert.Equal(new[] { 9f, 12f }, t.Sum(1).ToArray());
        Assert.Equal(new[] { 2.5f, 3.5f, 4.5f }, t.Mean(0).ToArray());
        Assert.Equal(new[] { 5f, 6f }, t.Max(1).ToArray());
        Assert.Equal(new[] { 1f, 2f }, t.Argmax(1).ToArray());
        Assert.Equal(new[] { 1f, 2f, 3f }, t.Min(0).ToArray());
        Assert.Equal(new[] { 2, 1 }, t.Sum(1, keepDim: true).Shape.ToArray());
        Assert.Equal(new[] { 4f, 2f, 6f, 1f, 5f, 3f }, t.IndexSelect(0, [1, 0]).ToArray());
        Assert.Equal(new[] { 3f, 4f }, t.Gather(1, Tensor.FromArray([2f, 0f], 2, 1)).ToArray());
        Assert.Throws<IndexOutOfRangeException>(() => t.Gather(1, Tensor.FromArray([3f, 0f], 2, 1)));
        Assert.Equal(new[] { 2, 6 }, Tensor.Concat([t, t], 1).Shape.ToArray());
        Assert.Equal(new[] { 2, 2, 3 }, Tensor.Stack([t, t], 0).Shape.ToArray());
        Assert.Equal(new[] { 1f, 5f, 3f, 1f, 5f, 3f }, Tensor.Stack([t, t], 1).Select(0, 0).ToArray());
    }

    [Fact]
    public void SoftmaxRowsSumToOne()
    {
        var t = Tensor.FromArray([1000f, 1001f, 1002f, -5f, 0f, 5f], 2, 3);
        var s = t.Softmax(1).Sum(1).ToArray();
        Assert.Equal(1f, s[0], 5);
        Assert.Equal(1f, s[1], 5);
        Assert.True(float.IsFinite(t.LogSoftmax(1).ToArray()[0]));
    }

    [Fact]
    public void ScopeRecyclesAndStopsAllocating()
    {
        var w = Tensor.Randn(new Generator(1), 8, 4).SetRequiresGrad();
        float[] input = [1f, 2f, 3f, 4f];
        void Pass()
        {
            using var scope = TensorScope.Begin();
            var x = Tensor.FromSpan(input, 1, 4);
            var loss = Tensor.Linear(x, w, null).Tanh().Sum();
            loss.Backward();
        }
        for (int i = 0; i < 50; i++) Pass();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Pass();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.False(w.Grad!.IsScoped);
    }

    [Fact]
    public void ScopesMustEndInOrder()
    {
        var outer = TensorScope.Begin();
        var inner = TensorScope.Begin();
        Assert.Throws<InvalidOperationException>(() => outer.Dispose());
        inner.Dispose();
        outer.Dispose();
        Assert.False(TensorScope.IsActive);
    }

    [Fact]
    public void SameSeedSameBits()
    {
        float[] Run()
        {
            var g = new Generator(42);
            var a = Tensor.Randn(g, 37, 300);
            var b = Tensor.Randn(g, 300, 290);
            return Tensor.Matmul(a, b).Tanh().ToArray();
        }
        Assert.Equal(Run(), Run());
    }
}
