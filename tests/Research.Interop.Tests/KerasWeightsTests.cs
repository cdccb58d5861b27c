using Research.Abstractions.Spaces;
using Research.Interop.Keras;
using Research.Rl.Policies;
using Research.Tensors;
using static Research.Interop.Tests.Sb3ImportTests;

namespace Research.Interop.Tests;

/// <summary>Keras .h5 weights (RLlib's fully connected model, tools/keras/make_h5_fixture.py) imported by layer order and shape.</summary>
public sealed class KerasWeightsTests
{
    private static string Keras(string name) => Path.Combine(AppContext.BaseDirectory, "golden", "keras", name);

    private static ActorCriticPolicy CartPolePolicy() => new(new Box(-5, 5, [4]), new Discrete(2),
        new PolicyOptions { NetArch = new NetArchOptions { Pi = [16, 16], Vf = [8, 8] } }, new Generator(0), "PPO");

    [Theory]
    [InlineData("rllib_fc.h5")]
    [InlineData("rllib_fc_model.h5")]
    public void The_imported_policy_computes_the_Keras_model(string file)
    {
        var policy = CartPolePolicy();
        KerasWeights.Load(policy, Keras(file));
        var expected = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Keras("keras_expected.json"))).RootElement;
        var obs = Rows(expected, "observations");
        using (Tensor.NoGrad())
        {
            Close(Rows(expected, "logits"), policy.ActionParameters(policy.Preprocess(obs, 6)).ToArray(), 1e-5, "logits");
            Close(Rows(expected, "values"), policy.PredictValues(policy.Preprocess(obs, 6)).ToArray(), 1e-5, "values");
        }
    }

    [Fact]
    public void A_file_with_a_layer_missing_names_both_counts_and_every_layer()
    {
        var e = Assert.Throws<KerasWeightsException>(() => KerasWeights.Load(CartPolePolicy(), Keras("missing_layer.h5")));
        Assert.Contains("missing_layer.h5: 5 dense layers (fc_1, fc_2, fc_value_1, fc_value_2, value_out) but the policy has 6 linear layers", e.Message);
        Assert.Contains("or 3 in its actor", e.Message);
    }

    [Fact]
    public void A_layer_of_the_wrong_shape_names_the_layer_and_both_shapes()
    {
        var policy = CartPolePolicy();
        var before = policy.GetWeights();
        var e = Assert.Throws<KerasWeightsException>(() => KerasWeights.Load(policy, Keras("wrong_shape.h5")));
        Assert.Contains("layer 'fc_2' has kernel (16, 12) but 'mlp_extractor.policy_net.2.weight' needs (16, 16)", e.Message);
        Assert.All(policy.GetWeights(), p => Assert.Equal(before[p.Key], p.Value));
    }

    [Fact]
    public void A_file_that_is_not_HDF5_says_so()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not hdf5");
            var e = Assert.Throws<KerasWeightsException>(() => KerasWeights.Read(path));
            Assert.Contains(path, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
