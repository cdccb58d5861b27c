namespace Research.Tensors.Tests;

public class GradientTests
{
    private static Tensor R(int seed, params int[] shape) => Tensor.Randn(new Generator((ulong)seed), shape);

    private static Tensor Positive(int seed, params int[] shape) => Tensor.Uniform(new Generator((ulong)seed), 0.5f, 2f, shape);

    [Fact] public void AddBroadcast() => GradCheck.Check(x => x[0] + x[1], [R(1, 3, 4), R(2, 4)]);
    [Fact] public void SubBroadcast() => GradCheck.Check(x => x[0] - x[1], [R(1, 3, 1), R(2, 1, 4)]);
    [Fact] public void MulBroadcast() => GradCheck.Check(x => x[0] * x[1], [R(1, 2, 3, 4), R(2, 3, 1)]);
    [Fact] public void Div() => GradCheck.Check(x => x[0] / x[1], [R(1, 3, 4), Positive(2, 3, 4)]);
    [Fact] public void ScalarOps() => GradCheck.Check(x => (x[0] * 3f + 1f) / 2f - 0.5f, [R(1, 5)]);
    [Fact] public void ScalarOverTensor() => GradCheck.Check(x => 2f / x[0], [Positive(1, 5)]);
    [Fact] public void Neg() => GradCheck.Check(x => -x[0], [R(1, 5)]);
    [Fact] public void Pow() => GradCheck.Check(x => x[0].Pow(3f) + x[0].Pow(2f), [Positive(1, 6)]);
    [Fact] public void Sqrt() => GradCheck.Check(x => x[0].Sqrt(), [Positive(1, 6)]);
    [Fact] public void Abs() => GradCheck.Check(x => x[0].Abs(), [R(1, 6)]);
    [Fact] public void Exp() => GradCheck.Check(x => x[0].Exp(), [R(1, 6)]);
    [Fact] public void Log() => GradCheck.Check(x => x[0].Log(), [Positive(1, 6)]);
    [Fact] public void Log1p() => GradCheck.Check(x => x[0].Log1p(), [Positive(1, 6)]);
    [Fact] public void Tanh() => GradCheck.Check(x => x[0].Tanh(), [R(1, 20)]);
    [Fact] public void Relu() => GradCheck.Check(x => x[0].Relu(), [R(1, 6)], step: 1e-3f);
    [Fact] public void LeakyRelu() => GradCheck.Check(x => x[0].LeakyRelu(0.1f), [R(1, 6)], step: 1e-3f);
    [Fact] public void Elu() => GradCheck.Check(x => x[0].Elu(), [R(1, 6)], step: 1e-3f);
    [Fact] public void Sigmoid() => GradCheck.Check(x => x[0].Sigmoid(), [R(1, 6)]);
    [Fact] public void Softplus() => GradCheck.Check(x => x[0].Softplus(), [R(1, 6)]);
    [Fact] public void Clamp() => GradCheck.Check(x => x[0].Clamp(-0.5f, 0.5f), [R(1, 8)], step: 1e-3f);
    [Fact] public void MinimumMaximum() => GradCheck.Check(x => Tensor.Minimum(x[0], x[1]) + Tensor.Maximum(x[0], x[1]) * 2f, [R(1, 3, 4), R(2, 4)], step: 1e-3f);
    [Fact] public void Where() => GradCheck.Check(x => Tensor.Where(x[0].Gt(0f), x[0], x[1]), [R(1, 3, 4), R(2, 4)], step: 1e-3f);
    [Fact] public void SumMeanDims() => GradCheck.Check(x => x[0].Sum(1) + x[0].Mean(1) + x[0].Sum(0, keepDim: true).Sum(), [R(1, 3, 4)]);
    [Fact] public void SumMiddleDim() => GradCheck.Check(x => x[0].Sum(1, keepDim: true), [R(1, 2, 3, 4)]);
    [Fact] public void MeanAll() => GradCheck.Check(x => x[0].Mean(), [R(1, 3, 4)]);
    [Fact] public void MaxMin() => GradCheck.Check(x => x[0].Max(1) + x[0].Min(0).Sum(), [R(1, 3, 4)], step: 1e-3f);
    [Fact] public void Matmul() => GradCheck.Check(x => Tensor.Matmul(x[0], x[1]), [R(1, 3, 5), R(2, 5, 4)]);
    [Fact] public void MatmulTransposed() => GradCheck.Check(x => Tensor.Matmul(x[0].T(), x[1].T()), [R(1, 5, 3), R(2, 4, 5)]);
    [Fact] public void MatmulBatched() => GradCheck.Check(x => Tensor.Matmul(x[0], x[1]), [R(1, 2, 3, 5), R(2, 2, 5, 4)]);
    [Fact] public void MatmulLarge() => GradCheck.Check(x => Tensor.Matmul(x[0], x[1]), [R(1, 20, 30), R(2, 30, 40)], tolerance: 2e-2);
    [Fact] public void Linear() => GradCheck.Check(x => Tensor.Linear(x[0], x[1], x[2]), [R(1, 7, 5), R(2, 3, 5), R(3, 3)]);
    [Fact] public void LinearWide() => GradCheck.Check(x => Tensor.Linear(x[0], x[1], x[2]), [R(1, 7, 4), R(2, 20, 4), R(3, 20)]);
    [Fact] public void Views() => GradCheck.Check(x => x[0].Reshape(4, 3).Transpose(0, 1).Narrow(1, 1, 2).Unsqueeze(0).Squeeze(0) * 2f, [R(1, 3, 4)]);
    [Fact] public void SelectAndExpand() => GradCheck.Check(x => x[0].Select(1, 2).Unsqueeze(1).Expand(3, 5), [R(1, 3, 4)]);
    [Fact] public void Permute() => GradCheck.Check(x => x[0].Permute(2, 0, 1).Contiguous(), [R(1, 2, 3, 4)]);
    [Fact] public void Gather() => GradCheck.Check(x => x[0].Gather(1, Tensor.FromArray([2f, 0f, 1f, 1f, 0f, 2f], 3, 2)), [R(1, 3, 3)]);
    [Fact] public void IndexSelect() => GradCheck.Check(x => x[0].IndexSelect(0, [2, 0, 2]), [R(1, 3, 4)]);
    [Fact] public void ConcatStack() => GradCheck.Check(x => Tensor.Concat([x[0], x[1]], 1).Sum(1) + Tensor.Stack([x[0], x[0]], 0).Sum(0).Sum(1), [R(1, 3, 2), R(2, 3, 4)]);
    [Fact] public void Softmax() => GradCheck.Check(x => x[0].Softmax(1), [R(1, 3, 5)]);
    [Fact] public void SoftmaxInnerDim() => GradCheck.Check(x => x[0].Softmax(0), [R(1, 3, 5)]);
    [Fact] public void LogSoftmax() => GradCheck.Check(x => x[0].LogSoftmax(-1), [R(1, 3, 5)]);
    [Fact] public void LogSumExp() => GradCheck.Check(x => x[0].LogSumExp(1), [R(1, 3, 5)]);
    [Fact] public void Conv2d() => GradCheck.Check(x => Tensor.Conv2d(x[0], x[1], x[2], stride: 2, padding: 1), [R(1, 2, 2, 5, 5), R(2, 3, 2, 3, 3), R(3, 3)], tolerance: 2e-2);
    [Fact] public void MaxPool2d() => GradCheck.Check(x => Tensor.MaxPool2d(x[0], 2), [R(1, 1, 2, 4, 4)], step: 1e-3f);
    [Fact] public void Mse() => GradCheck.Check(x => Losses.Mse(x[0], x[1]), [R(1, 4, 3), R(2, 4, 3)]);
    [Fact] public void SmoothL1() => GradCheck.Check(x => Losses.SmoothL1(x[0], x[1], beta: 0.5f), [R(1, 4, 3), R(2, 4, 3)], step: 1e-3f);

    [Fact]
    public void SmoothL1_backward_propagates_NaN_instead_of_throwing()
    {
        var x = Tensor.FromArray([float.NaN, 2f], 2);
        x.RequiresGrad = true;
        var loss = Losses.SmoothL1(x, Tensor.FromArray([0f, 0f], 2), beta: 1f);
        loss.Backward();
        Assert.True(float.IsNaN(loss.Item()));
        Assert.True(float.IsNaN(x.Grad!.ToArray()[0]));
        Assert.Equal(0.5f, x.Grad!.ToArray()[1]);
    }
    [Fact] public void BceWithLogits() => GradCheck.Check(x => Losses.BinaryCrossEntropyWithLogits(x[0], x[1]), [R(1, 4, 3), Positive(2, 4, 3) * 0.4f]);
    [Fact] public void CrossEntropy() => GradCheck.Check(x => Losses.CrossEntropy(x[0], Tensor.FromArray([0f, 2f, 1f, 2f])), [R(1, 4, 3)]);

    [Fact]
    public void GradientsAccumulateAcrossBackwardCalls()
    {
        var x = Tensor.FromArray([1f, 2f]).SetRequiresGrad();
        (x * x).Sum().Backward();
        (x * 3f).Sum().Backward();
        Assert.Equal(new[] { 5f, 7f }, x.Grad!.ToArray());
        x.ZeroGrad();
        Assert.Equal(new[] { 0f, 0f }, x.Grad!.ToArray());
    }

    [Fact]
    public void SeededBackwardAndNoGrad()
    {
        var x = Tensor.FromArray([1f, 2f, 3f]).SetRequiresGrad();
        (x * 2f).Backward(Tensor.FromArray([1f, 0f, -1f]));
        Assert.Equal(new[] { 2f, 0f, -2f }, x.Grad!.ToArray());
        using (GradMode.NoGrad())
        {
            Assert.False((x * 2f).RequiresGrad);
        }
        Assert.False((x * 2f).Detach().RequiresGrad);
        Assert.Throws<InvalidOperationException>(() => (x * 2f).Backward());
    }

    [Fact]
    public void SharedSubexpressionGetsBothPaths()
    {
        var x = Tensor.FromArray([0.5f]).SetRequiresGrad();
        var y = x.Tanh();
        (y * y + y).Sum().Backward();
        float t = MathF.Tanh(0.5f);
        Assert.Equal((2 * t + 1) * (1 - t * t), x.Grad!.Item(), 5);
    }
}
