using Research.Abstractions.Options;
using Research.Abstractions.Spaces;
using Research.Rl.Policies;
using Research.Tensors.Nn;

namespace Research.Rl.Tests.Policies;

public class PolicyPiecesTests
{
    [Fact]
    public void Zoo_policy_kwargs_strings_bind_onto_policy_options()
    {
        var config = PolicyKwargs.Parse("dict(log_std_init=-2, ortho_init=False, activation_fn=nn.ReLU, net_arch=dict(pi=[256], vf=[128, 128]))");
        var options = OptionsBinder.Bind<PolicyOptions>(config, "test");
        Assert.Equal(-2, options.LogStdInit);
        Assert.False(options.OrthoInit);
        Assert.Equal(Activation.Relu, options.ActivationFn);
        Assert.Equal([256], options.NetArch.Pi);
        Assert.Equal([128, 128], options.NetArch.Vf);

        var list = OptionsBinder.Bind<PolicyOptions>(PolicyKwargs.Parse("dict(net_arch=[32, 32], activation_fn=nn.Tanh)"), "test");
        Assert.Equal([32, 32], list.NetArch.Pi);
        Assert.Equal([32, 32], list.NetArch.Qf);
        Assert.Throws<FormatException>(() => PolicyKwargs.Parse("dict(net_arch=[64, 64"));
    }

    [Fact]
    public void Observations_are_preprocessed_as_stable_baselines_does()
    {
        var dict = new DictSpace([new("image", new Box(0, 255, [1, 1, 2], "uint8")), new("mode", new Discrete(3, start: 1)), new("multi", new MultiDiscrete([2, 2]))]);
        Assert.Equal(2 + 3 + 4, ObservationPreprocessor.FeatureSize(dict));
        var output = new float[9];
        ObservationPreprocessor.Write(dict, [255f, 51f, 2f, 1f, 0f], 1, output);
        Assert.Equal([1f, 0.2f, 0f, 1f, 0f, 0f, 1f, 1f, 0f], output);
        Assert.Throws<SpaceMismatchException>(() => ObservationPreprocessor.Write(new Discrete(3), [3f], 1, new float[3]));
    }

    [Fact]
    public void Action_heads_write_modes_and_probabilities_on_spans()
    {
        var generator = new Research.Tensors.Generator(1);
        var categorical = ActionHead.For(new Discrete(3, start: 10), "PPO");
        var actions = new float[2];
        categorical.WriteActions([0f, 5f, 1f, 9f, 0f, 0f], default, 2, deterministic: true, generator, actions);
        Assert.Equal([11f, 10f], actions);
        var probabilities = new float[3];
        categorical.WriteProbabilities([0f, 0f, 0f], default, 1, probabilities);
        Assert.All(probabilities, p => Assert.Equal(1f / 3, p, 6));

        var gaussian = ActionHead.For(new Box(-1, 1, [2]), "PPO");
        var clipped = new float[] { -3f, 0.5f };
        gaussian.Clip(clipped);
        Assert.Equal([-1f, 0.5f], clipped);
    }
}
