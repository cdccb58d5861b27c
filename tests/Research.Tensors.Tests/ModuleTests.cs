using Research.Tensors.Nn;
using Research.Tensors.Optim;

namespace Research.Tensors.Tests;

public class ModuleTests
{
    private sealed class Policy : Module
    {
        public Policy(Generator g)
        {
            PolicyNet = RegisterModule("policy_net", new Mlp([4, 8, 8], Activation.Tanh, g, activateOutput: true));
            RegisterBuffer("running_mean", Tensor.PersistentZeros(4));
        }

        public Mlp PolicyNet { get; }
    }

    [Fact]
    public void NamesAreHierarchical()
    {
        var names = new Policy(new Generator(1)).StateDict().Keys.ToArray();
        Assert.Equal(["policy_net.0.weight", "policy_net.0.bias", "policy_net.2.weight", "policy_net.2.bias", "running_mean"], names);
    }

    [Fact]
    public void StateDictRoundTripsAndRejectsBadEntries()
    {
        var source = new Policy(new Generator(1));
        var target = new Policy(new Generator(2));
        target.LoadStateDict(source.StateDict());
        var x = Tensor.Randn(new Generator(3), 5, 4);
        Assert.Equal(source.PolicyNet.Forward(x).ToArray(), target.PolicyNet.Forward(x).ToArray());

        var missing = source.StateDict();
        missing.Remove("running_mean");
        Assert.Contains("missing running_mean", Assert.Throws<ArgumentException>(() => target.LoadStateDict(missing)).Message);
        var extra = source.StateDict();
        extra.Add("bogus", Tensor.Zeros(1));
        Assert.Contains("unexpected bogus", Assert.Throws<ArgumentException>(() => target.LoadStateDict(extra)).Message);
        var misshaped = source.StateDict();
        misshaped["policy_net.0.bias"] = Tensor.Zeros(3);
        var error = Assert.Throws<ArgumentException>(() => target.LoadStateDict(misshaped)).Message;
        Assert.Contains("policy_net.0.bias", error);
        Assert.Contains("[3]", error);
        Assert.Contains("[8]", error);
    }

    [Fact]
    public void DefaultLinearInitStaysInPyTorchBounds()
    {
        var layer = new Linear(16, 32, new Generator(1));
        float bound = 1f / 4f;
        Assert.All(layer.Weight.ToArray(), v => Assert.InRange(v, -bound, bound));
        Assert.All(layer.Bias!.ToArray(), v => Assert.InRange(v, -bound, bound));
        Assert.True(layer.Weight.ToArray().Max() > 0.2f);
    }

    [Fact]
    public void TrainEvalPropagates()
    {
        var policy = new Policy(new Generator(1));
        policy.Eval();
        Assert.False(policy.PolicyNet.Layers[0].Training);
        policy.Train();
        Assert.True(policy.PolicyNet.Layers[0].Training);
    }

    [Fact]
    public void ConvNetForwardShapes()
    {
        var g = new Generator(1);
        var net = new Sequential(new Conv2d(4, 32, 8, g, stride: 4), ActivationLayer.Create(Activation.Relu), new MaxPool2d(2), new Flatten());
        Assert.Equal(new[] { 2, 32 * 10 * 10 }, net.Forward(Tensor.Zeros(2, 4, 84, 84)).Shape.ToArray());
    }

    [Fact]
    public void OptimizerStateRoundTripsExactly()
    {
        float[] Train(bool restoreHalfway)
        {
            var mlp = new Mlp([3, 5, 1], Activation.Relu, new Generator(1));
            var adam = new Adam(mlp.Parameters(), new AdamOptions(1e-2, Eps: 1e-5));
            var x = Tensor.Randn(new Generator(2), 6, 3);
            var y = Tensor.Randn(new Generator(3), 6, 1);
            for (int step = 0; step < 6; step++)
            {
                if (restoreHalfway && step == 3)
                {
                    var modelState = mlp.StateDict();
                    var optimizerState = adam.StateDict();
                    mlp = new Mlp([3, 5, 1], Activation.Relu, new Generator(9));
                    adam = new Adam(mlp.Parameters(), new AdamOptions(1e-2, Eps: 1e-5));
                    mlp.LoadStateDict(modelState);
                    adam.LoadStateDict(optimizerState);
                    Assert.Equal(3, adam.StepCount);
                }
                adam.ZeroGrad();
                Losses.Mse(mlp.Forward(x), y).Backward();
                adam.Step();
            }
            return mlp.Parameters().SelectMany(p => p.ToArray()).ToArray();
        }
        Assert.Equal(Train(false), Train(true));
    }

    [Fact]
    public void MinibatchUpdateStopsAllocatingAfterWarmUp()
    {
        var generator = new Generator(1);
        var mlp = new Mlp([4, 64, 64, 2], Activation.Tanh, generator);
        var adam = new Adam(mlp.Parameters(), new AdamOptions(3e-4, Eps: 1e-5));
        var batch = Tensor.Randn(generator, 64, 4);
        var target = Tensor.Randn(generator, 64, 2);
        void Update()
        {
            using (var scope = TensorScope.Begin())
            {
                adam.ZeroGrad();
                Losses.Mse(mlp.Forward(batch), target).Backward();
            }
            GradClip.ClipGradNorm(adam.Parameters, 0.5f);
            adam.Step();
        }
        for (int i = 0; i < 50; i++) Update();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) Update();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(0.0, 13)]
    [InlineData(0.01, 13)]
    [InlineData(0.01, 16_389)]
    public void AdamVectorLanesEqualTheScalarFormula(double weightDecay, int size)
    {
        // 13 elements: one 8-wide block and a scalar tail must both follow torch.optim.Adam's formula exactly.
        // 16,389: long enough to be updated in stripes on the worker pool, which must not change a bit either.
        var options = new AdamOptions(1e-2, Eps: 1e-5, WeightDecay: weightDecay);
        var generator = new Generator(4);
        var p = Tensor.Randn(generator, size).Detach();
        var parameter = Tensor.PersistentZeros(size).SetRequiresGrad();
        parameter.CopyFrom(p.AsSpan());
        var adam = new Adam([parameter], options);
        float[] expected = p.ToArray(), m = new float[size], v = new float[size];
        for (int step = 1; step <= 3; step++)
        {
            var gradient = Tensor.Randn(generator, size).ToArray();
            parameter.Grad = Tensor.PersistentZeros(size);
            parameter.Grad.CopyFrom(gradient);
            using (Parallelism.Limit(2)) adam.Step();
            float stepSize = (float)(options.LearningRate / (1 - Math.Pow(options.Beta1, step)));
            float correction = (float)Math.Sqrt(1 - Math.Pow(options.Beta2, step));
            for (int i = 0; i < size; i++)
            {
                float g = weightDecay != 0 ? gradient[i] + (float)weightDecay * expected[i] : gradient[i];
                m[i] = m[i] * 0.9f + g * (float)(1 - 0.9);
                v[i] = v[i] * 0.999f + (float)(1 - 0.999) * g * g;
                expected[i] += -stepSize * (m[i] / (MathF.Sqrt(v[i]) / correction + 1e-5f));
            }
            Assert.Equal(expected, parameter.ToArray());
        }
    }

    [Fact]
    public void AdamFollowsTheFormulaWhenMomentsDecayIntoDenormals()
    {
        // Gradients that stop (dead ReLU units) leave the first moment stuck among denormals; the update then skips the
        // division where p + update must round back to p. Checked bit for bit against the formula over 1,200 steps, with
        // parameters from zero, −0 and denormal up to large (lanes 16–23: ordinary weights, whose whole vector is skipped).
        var options = new AdamOptions(2.3e-3);
        float[] start =
        [
            0f, -0f, 1e-40f, -1e-30f, 1e-20f, 3e-8f, -0.5f, 2f, 1e4f, -3e7f, 0.25f, -1e-3f, 7f, 1e-38f, -2e-45f, 0.1f,
            0.3f, -0.7f, 1.5f, -2.5f, 0.05f, -0.01f, 3f, -4f,
            1f, -1f, 0.5f, -2f, 0.75f, -0.3f, 1.25f, -0.9f,
        ];
        int size = start.Length;
        var parameter = Tensor.PersistentZeros(size).SetRequiresGrad();
        parameter.CopyFrom(start);
        var adam = new Adam([parameter], options);
        float[] expected = (float[])start.Clone(), m = new float[size], v = new float[size];
        parameter.Grad = Tensor.PersistentZeros(size);
        var generator = new Generator(9);
        for (int step = 1; step <= 1200; step++)
        {
            var gradient = Tensor.Randn(generator, size).ToArray();
            // Live for 20 steps, then zero, except lane 6 which keeps a gradient throughout; the last eight get gradients
            // of order 1e-10, so that denom is near eps and the update is as large as the skip bound allows.
            for (int i = 0; i < size; i++)
            {
                if (i >= 24) gradient[i] *= 1e-10f;
                else if (step > 20 && i != 6) gradient[i] = 0f;
            }
            parameter.Grad.CopyFrom(gradient);
            adam.Step();
            float stepSize = (float)(options.LearningRate / (1 - Math.Pow(options.Beta1, step)));
            float correction = (float)Math.Sqrt(1 - Math.Pow(options.Beta2, step));
            for (int i = 0; i < size; i++)
            {
                m[i] = m[i] * 0.9f + gradient[i] * (float)(1 - 0.9);
                v[i] = v[i] * 0.999f + (float)(1 - 0.999) * gradient[i] * gradient[i];
                expected[i] += -stepSize * (m[i] / (MathF.Sqrt(v[i]) / correction + 1e-8f));
            }
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), parameter.ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Contains(m, float.IsSubnormal);
    }

    [Fact]
    public void ClipGradNormScalesToTheLimit()
    {
        var p = Tensor.PersistentZeros(2).SetRequiresGrad();
        (p * Tensor.FromArray([3f, 4f])).Sum().Backward();
        Assert.Equal(5f, GradClip.ClipGradNorm([p], 1f), 5);
        var g = p.Grad!.ToArray();
        Assert.Equal(0.6f, g[0], 4);
        Assert.Equal(0.8f, g[1], 4);
    }
}
