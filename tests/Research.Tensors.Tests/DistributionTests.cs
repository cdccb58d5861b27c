using Research.Tensors.Distributions;

namespace Research.Tensors.Tests;

public class DistributionTests
{
    [Fact]
    public void CategoricalSamplesFollowProbabilities()
    {
        var logits = Tensor.FromArray([MathF.Log(0.2f), MathF.Log(0.3f), MathF.Log(0.5f)], 1, 3).Expand(4000, 3).Contiguous();
        var samples = new Categorical(logits).Sample(new Generator(1)).ToArray();
        Assert.InRange(samples.Count(s => s == 2f) / 4000.0, 0.46, 0.54);
        Assert.InRange(samples.Count(s => s == 0f) / 4000.0, 0.17, 0.23);
        Assert.Equal(new[] { 2f }, new Categorical(Tensor.FromArray([0f, 1f, 3f], 1, 3)).Mode().ToArray());
    }

    [Fact]
    public void GaussianSampleIsReparameterised()
    {
        var mean = Tensor.Zeros(3, 2).SetRequiresGrad();
        var logStd = Tensor.Zeros(2).SetRequiresGrad();
        var sample = new DiagGaussian(mean, logStd).Sample(new Generator(1));
        sample.Sum().Backward();
        Assert.Equal(Enumerable.Repeat(1f, 6), mean.Grad!.ToArray());
        Assert.Equal(new[] { 3, 2 }, sample.Shape.ToArray());
    }

    [Fact]
    public void SquashedSampleLogProbAgreesWithLogProbOfTheAction()
    {
        var d = new SquashedDiagGaussian(Tensor.FromArray([0.1f, -0.2f, 0.3f, 0.0f], 2, 2), Tensor.FromArray([-0.5f, -1f]));
        var (action, logProb) = d.SampleWithLogProb(new Generator(4));
        Assert.All(action.ToArray(), a => Assert.InRange(a, -1f, 1f));
        Golden.AssertClose("log prob", logProb.ToArray(), d.LogProb(action).ToArray(), 1e-4);
    }

    [Fact]
    public void MultiCategoricalSumsItsParts()
    {
        var logits = Tensor.Randn(new Generator(2), 3, 5);
        var multi = new MultiCategorical(logits, [2, 3]);
        var actions = Tensor.FromArray([0f, 2f, 1f, 0f, 1f, 1f], 3, 2);
        var first = new Categorical(logits.Narrow(1, 0, 2)).LogProb(actions.Select(1, 0).Contiguous());
        var second = new Categorical(logits.Narrow(1, 2, 3)).LogProb(actions.Select(1, 1).Contiguous());
        Golden.AssertClose("log prob", (first + second).ToArray(), multi.LogProb(actions).ToArray());
        Assert.Equal(new[] { 3, 2 }, multi.Sample(new Generator(1)).Shape.ToArray());
        Assert.Equal(new[] { 3 }, multi.Entropy()!.Shape.ToArray());
    }

    [Fact]
    public void BernoulliModeAndSamples()
    {
        var d = new Bernoulli(Tensor.FromArray([-3f, 3f, 0.5f], 1, 3));
        Assert.Equal(new[] { 0f, 1f, 1f }, d.Mode().ToArray());
        Assert.Equal(new[] { 1, 3 }, d.Sample(new Generator(1)).Shape.ToArray());
    }
}
