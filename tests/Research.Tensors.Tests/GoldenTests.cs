using Research.Tensors.Distributions;
using Research.Tensors.Nn;
using Research.Tensors.Optim;

namespace Research.Tensors.Tests;

/// <summary>Compares against values PyTorch 1.13 produced (tools/golden/make_golden.py).</summary>
public class GoldenTests
{
    [Fact]
    public void MlpForwardAndAllGradientsMatchPyTorch()
    {
        var golden = Golden.Load("mlp.json");
        var mlp = new Mlp([4, 64, 64, 2], Activation.Tanh, new Generator(0));
        var state = mlp.StateDict();
        foreach (var name in state.Keys.ToList()) state[name] = golden.Tensor(name);
        mlp.LoadStateDict(state);
        var x = golden.Tensor("input").SetRequiresGrad();
        var output = mlp.Forward(x);
        golden.AssertClose("output", output);
        (output * golden.Tensor("upstream")).Sum().Backward();
        golden.AssertClose("input.grad", x.Grad!);
        foreach (var (name, parameter) in mlp.NamedParameters()) golden.AssertClose(name + ".grad", parameter.Grad!);
    }

    [Fact]
    public void CategoricalMatchesPyTorch()
    {
        var golden = Golden.Load("distributions.json");
        var logits = golden.Tensor("categorical.logits").SetRequiresGrad();
        var distribution = new Categorical(logits);
        golden.AssertClose("categorical.log_softmax", distribution.LogProbabilities);
        var logProb = distribution.LogProb(golden.Tensor("categorical.actions"));
        var entropy = distribution.Entropy()!;
        golden.AssertClose("categorical.log_prob", logProb);
        golden.AssertClose("categorical.entropy", entropy);
        (logProb.Sum() + entropy.Sum() * 0.5f).Backward();
        golden.AssertClose("categorical.logits.grad", logits.Grad!);
    }

    [Fact]
    public void DiagGaussianMatchesPyTorch()
    {
        var golden = Golden.Load("distributions.json");
        var mean = golden.Tensor("gaussian.mean").SetRequiresGrad();
        var logStd = golden.Tensor("gaussian.log_std").SetRequiresGrad();
        var distribution = new DiagGaussian(mean, logStd);
        var logProb = distribution.LogProb(golden.Tensor("gaussian.actions"));
        var entropy = distribution.Entropy()!;
        golden.AssertClose("gaussian.log_prob", logProb);
        golden.AssertClose("gaussian.entropy", entropy);
        (logProb.Sum() + entropy.Sum() * 0.5f).Backward();
        golden.AssertClose("gaussian.mean.grad", mean.Grad!);
        golden.AssertClose("gaussian.log_std.grad", logStd.Grad!);
    }

    [Fact]
    public void SquashedDiagGaussianMatchesSb3Formula()
    {
        var golden = Golden.Load("distributions.json");
        var mean = golden.Tensor("squashed.mean").SetRequiresGrad();
        var logStd = golden.Tensor("squashed.log_std").SetRequiresGrad();
        var distribution = new SquashedDiagGaussian(mean, logStd);
        var logProb = distribution.LogProb(golden.Tensor("squashed.actions"));
        golden.AssertClose("squashed.log_prob", logProb);
        logProb.Sum().Backward();
        golden.AssertClose("squashed.mean.grad", mean.Grad!);
        golden.AssertClose("squashed.log_std.grad", logStd.Grad!);
        Assert.Null(distribution.Entropy());
    }

    [Fact]
    public void BernoulliMatchesPyTorch()
    {
        var golden = Golden.Load("distributions.json");
        var logits = golden.Tensor("bernoulli.logits").SetRequiresGrad();
        var distribution = new Bernoulli(logits);
        var logProb = distribution.LogProb(golden.Tensor("bernoulli.actions"));
        var entropy = distribution.Entropy()!;
        golden.AssertClose("bernoulli.log_prob", logProb);
        golden.AssertClose("bernoulli.entropy", entropy);
        (logProb.Sum() + entropy.Sum() * 0.5f).Backward();
        golden.AssertClose("bernoulli.logits.grad", logits.Grad!);
    }

    [Fact]
    public void Conv2dAndMaxPoolMatchPyTorch()
    {
        var golden = Golden.Load("conv2d.json");
        var x = golden.Tensor("input").SetRequiresGrad();
        var w = golden.Tensor("weight").SetRequiresGrad();
        var b = golden.Tensor("bias").SetRequiresGrad();
        var output = Tensor.Conv2d(x, w, b, stride: 2, padding: 1);
        golden.AssertClose("output", output);
        (output * golden.Tensor("upstream")).Sum().Backward();
        golden.AssertClose("input.grad", x.Grad!);
        golden.AssertClose("weight.grad", w.Grad!);
        golden.AssertClose("bias.grad", b.Grad!);

        var poolInput = golden.Tensor("pool.input").SetRequiresGrad();
        var pooled = Tensor.MaxPool2d(poolInput, 2, 2);
        golden.AssertClose("pool.output", pooled);
        (pooled * golden.Tensor("pool.upstream")).Sum().Backward();
        golden.AssertClose("pool.input.grad", poolInput.Grad!);
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("adam_weight_decay")]
    [InlineData("rmsprop")]
    [InlineData("rmsprop_centered_momentum")]
    [InlineData("rmsprop_tf_like")]
    [InlineData("rmsprop_tf_like_centered_momentum")]
    [InlineData("sgd_momentum")]
    public void TenOptimizerStepsMatchPyTorch(string name)
    {
        var golden = Golden.Load("optimizers.json");
        var p = golden.Tensor("start");
        p = Tensor.PersistentZeros(p.Shape);
        p.CopyFrom(golden.Data("start"));
        p.RequiresGrad = true;
        var a = golden.Tensor("a");
        var b = golden.Tensor("b");
        Optimizer optimizer = name switch
        {
            "adam" => new Adam([p], new AdamOptions(0.01, Eps: 1e-5)),
            "adam_weight_decay" => new Adam([p], new AdamOptions(0.01, WeightDecay: 0.1)),
            "rmsprop" => new RmsProp([p], new RmsPropOptions(0.01, Alpha: 0.99)),
            "rmsprop_centered_momentum" => new RmsProp([p], new RmsPropOptions(0.01, Alpha: 0.9, Momentum: 0.9, Centered: true)),
            "rmsprop_tf_like" => new RmsPropTfLike([p], new RmsPropOptions(0.01, Alpha: 0.99, Eps: 1e-5)),
            "rmsprop_tf_like_centered_momentum" => new RmsPropTfLike([p], new RmsPropOptions(0.01, Alpha: 0.9, Eps: 1e-5, Momentum: 0.9, Centered: true)),
            _ => new Sgd([p], new SgdOptions(0.01, Momentum: 0.9)),
        };
        var history = new List<float>();
        for (int step = 0; step < 10; step++)
        {
            optimizer.ZeroGrad();
            (a * p * p + b * p).Sum().Backward();
            optimizer.Step();
            history.AddRange(p.ToArray());
        }
        Golden.AssertClose(name, golden.Data(name), history.ToArray());
    }

    [Theory]
    [InlineData("tall")]
    [InlineData("wide")]
    public void OrthogonalMatchesPyTorchAndIsOrthogonal(string name)
    {
        var golden = Golden.Load("orthogonal.json");
        var normal = golden.Tensor(name + ".normal");
        int rows = normal.Shape[0], cols = normal.Shape[1];
        float gain = golden.Data(name + ".gain")[0];
        var result = Init.Orthogonalize(normal.ToArray().Select(v => (double)v).ToArray(), rows, cols, gain);
        Golden.AssertClose(name, golden.Data(name + ".result"), result);

        var w = Tensor.PersistentZeros(rows, cols);
        Init.Orthogonal(w, new Generator(7), gain);
        // The smaller Gram matrix is gain²·I.
        var gram = rows <= cols ? Tensor.Matmul(w, w.T()) : Tensor.Matmul(w.T(), w);
        int n = Math.Min(rows, cols);
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            Assert.Equal(i == j ? gain * gain : 0f, gram[i, j], 4);
    }
}
