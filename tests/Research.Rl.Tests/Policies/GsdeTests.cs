using Research.Rl.Policies;
using Research.Tensors;
using Research.Tensors.Distributions;

namespace Research.Rl.Tests.Policies;

/// <summary>gSDE against Stable-Baselines3 v2.4.1's own <c>StateDependentNoiseDistribution</c> (tools/golden/make_gsde_golden.py) and finite differences.</summary>
public class GsdeTests
{
    private const int Batch = 3, Latent = 4, Actions = 2;

    public static TheoryData<string, bool> Cases => new()
    {
        { "full_std=True,use_expln=False", false },
        { "full_std=True,use_expln=True", true },
        { "full_std=False,use_expln=False", false },
        { "full_std=False,use_expln=True", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Log_prob_entropy_std_and_gradients_match_stable_baselines(string name, bool useExpln)
    {
        var golden = Golden.Load("gsde.json", name);
        var mean = golden.Tensor("mean");
        var logStd = golden.Tensor("log_std");
        var latent = golden.Tensor("latent");
        mean.RequiresGrad = logStd.RequiresGrad = latent.RequiresGrad = true;
        var distribution = new StateDependentNoiseDistribution(mean, logStd, latent, useExpln);
        var logProb = distribution.LogProb(golden.Tensor("actions"));
        var entropy = distribution.Entropy()!;
        (logProb.Sum() + entropy.Sum() * 0.5f).Backward();

        golden.AssertClose("std", distribution.Std);
        golden.AssertClose("log_prob", logProb);
        golden.AssertClose("entropy", entropy);
        golden.AssertClose("mean.grad", mean.Grad!);
        golden.AssertClose("log_std.grad", logStd.Grad!);
        Assert.True(latent.Grad is null || latent.Grad.ToArray().All(g => g == 0), "the latent features are detached (learn_features=False)");
    }

    [Fact]
    public void Learned_features_get_stable_baselines_gradient()
    {
        var golden = Golden.Load("gsde.json", "learn_features");
        var mean = golden.Tensor("mean");
        var logStd = golden.Tensor("log_std");
        var latent = golden.Tensor("latent");
        mean.RequiresGrad = logStd.RequiresGrad = latent.RequiresGrad = true;
        var distribution = new StateDependentNoiseDistribution(mean, logStd, latent, useExpln: true, learnFeatures: true);
        (distribution.LogProb(golden.Tensor("actions")).Sum() + distribution.Entropy()!.Sum() * 0.5f).Backward();
        golden.AssertClose("latent.grad", latent.Grad!);
        golden.AssertClose("log_std.grad", logStd.Grad!);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Noise_uses_one_matrix_per_row_for_a_full_batch_and_the_single_matrix_otherwise(string name, bool useExpln)
    {
        var golden = Golden.Load("gsde.json", name);
        var logStd = golden.Tensor("log_std");
        var noise = new StateDependentNoise(logStd, Latent, Actions, useExpln);
        noise.ReadState(StateOf(golden.Data("exploration_mat"), golden.Data("exploration_matrices"), Batch));

        var mean = golden.Data("mean");
        var latent = golden.Data("latent");
        var actions = new float[Batch * Actions];
        noise.WriteActions(mean, latent, Batch, deterministic: false, actions);
        Golden.AssertClose("noise_batch", golden.Data("noise_batch"), actions.Select((a, k) => a - mean[k]).ToArray());

        var single = new float[Actions];
        noise.WriteActions(mean.AsSpan(0, Actions), latent.AsSpan(0, Latent), 1, deterministic: false, single);
        Golden.AssertClose("noise_single", golden.Data("noise_single"), single.Select((a, k) => a - mean[k]).ToArray());

        noise.WriteActions(mean, latent, Batch, deterministic: true, actions);
        Assert.Equal(mean, actions);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Probabilities_are_the_mean_and_the_distributions_scale(string name, bool useExpln)
    {
        var golden = Golden.Load("gsde.json", name);
        var logStd = golden.Tensor("log_std");
        var mean = golden.Data("mean");
        var latent = golden.Data("latent");
        var noise = new StateDependentNoise(logStd, Latent, Actions, useExpln);
        var probabilities = new float[Batch * 2 * Actions];
        noise.WriteProbabilities(mean, latent, Batch, probabilities);
        var scale = new StateDependentNoiseDistribution(golden.Tensor("mean"), logStd, golden.Tensor("latent"), useExpln).Scale.ToArray();
        for (int b = 0; b < Batch; b++)
        for (int a = 0; a < Actions; a++)
        {
            Assert.Equal(mean[b * Actions + a], probabilities[b * 2 * Actions + a]);
            Assert.Equal(scale[b * Actions + a], probabilities[b * 2 * Actions + Actions + a], 5);
        }
    }

    [Fact]
    public void Reset_draws_the_shared_matrix_then_one_per_environment_scaled_by_std()
    {
        var logStd = Tensor.FromArray([-0.5f, 0.3f, 0f, 1.2f], 4, 1);
        var noise = new StateDependentNoise(logStd, Latent, Actions, useExpln: true);
        noise.Reset(2, new Generator(7));
        Assert.Equal(2, noise.Count);

        var generator = new Generator(7);
        var expected = new float[3 * Latent * Actions];
        for (int k = 0; k < expected.Length; k++)
        {
            int l = k % (Latent * Actions) / Actions;
            expected[k] = StateDependentNoiseDistribution.StdOf(logStd.AsSpan()[l], useExpln: true) * (float)generator.NextNormal();
        }
        var state = new MemoryStream();
        noise.WriteState(new BinaryWriter(state));
        state.Position = 0;
        var reader = new BinaryReader(state);
        Assert.Equal(2, reader.ReadInt32());
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], reader.ReadSingle());
        Assert.Equal(state.Length, state.Position);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Log_prob_and_entropy_gradients_match_finite_differences(bool fullStd, bool useExpln)
    {
        var generator = new Generator(3);
        var mean = Tensor.Randn(generator, Batch, Actions);
        var logStd = Tensor.Normal(generator, 0f, 0.8f, Latent, fullStd ? Actions : 1);
        var latent = Tensor.Randn(generator, Batch, Latent);
        var actions = Tensor.Randn(generator, Batch, Actions);
        Tensor Objective(Tensor[] x)
        {
            var d = new StateDependentNoiseDistribution(x[0], x[1], x[2], useExpln, learnFeatures: true);
            return d.LogProb(actions) + d.Entropy()! * 0.5f;
        }
        GradCheck.Check(Objective, [mean, logStd, latent]);
    }

    [Fact]
    public void Bad_shapes_name_the_expected_shape()
    {
        var e = Assert.Throws<ArgumentException>(() => new StateDependentNoiseDistribution(Tensor.Zeros(2, 3), Tensor.Zeros(4, 2), Tensor.Zeros(2, 4)));
        Assert.Contains("[4, 3] (full_std) or [4, 1]", e.Message);
        Assert.Throws<ArgumentException>(() => new StateDependentNoiseDistribution(Tensor.Zeros(2, 3), Tensor.Zeros(4, 3), Tensor.Zeros(5, 4)));
    }

    private static BinaryReader StateOf(float[] matrix, float[] matrices, int count)
    {
        var stream = new MemoryStream();
        var writer = new BinaryWriter(stream);
        writer.Write(count);
        foreach (float v in matrix) writer.Write(v);
        foreach (float v in matrices) writer.Write(v);
        writer.Flush();
        stream.Position = 0;
        return new BinaryReader(stream);
    }
}
