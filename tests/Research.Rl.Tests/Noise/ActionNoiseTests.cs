using Research.Rl.Noise;
using Research.Rl.Policies;
using Research.Abstractions.Spaces;
using Research.Tensors;
using Research.Tensors.Nn;

namespace Research.Rl.Tests.Noise;

public class ActionNoiseTests
{
    [Fact]
    public void Normal_noise_is_mean_plus_sigma_times_a_standard_normal_per_dimension()
    {
        var noise = new NormalActionNoise(2, [0.5, -1.0], [0.1, 2.0]);
        var draws = new Generator(7);
        var expected = new Generator(7);
        Span<float> values = stackalloc float[2];
        for (int i = 0; i < 5; i++)
        {
            noise.Sample(values, draws);
            Assert.Equal((float)(0.5 + 0.1 * expected.NextNormal()), values[0]);
            Assert.Equal((float)(-1.0 + 2.0 * expected.NextNormal()), values[1]);
        }
    }

    [Fact]
    public void Ornstein_uhlenbeck_follows_sb3s_recursion_in_double_precision_and_resets_to_its_initial_value()
    {
        var noise = new OrnsteinUhlenbeckActionNoise(1, [0.3], [0.2], theta: 0.15, dt: 0.01, initialNoise: [0.5]);
        var draws = new Generator(1);
        var expected = new Generator(1);
        double x = 0.5;
        Span<float> value = stackalloc float[1];
        for (int i = 0; i < 50; i++)
        {
            noise.Sample(value, draws);
            x = x + 0.15 * (0.3 - x) * 0.01 + 0.2 * Math.Sqrt(0.01) * expected.NextNormal();
            Assert.Equal((float)x, value[0]);
            Assert.Equal(x, noise.Current[0]);
        }
        noise.Reset();
        Assert.Equal(0.5, noise.Current[0]);
    }

    [Fact]
    public void Vectorized_noise_keeps_one_process_per_environment_and_resets_them_one_by_one()
    {
        var noise = new VectorizedActionNoise(new OrnsteinUhlenbeckActionNoise(2, [0.0], [1.0]), 3);
        var generator = new Generator(2);
        var values = new float[6];
        for (int i = 0; i < 10; i++) noise.Sample(values, generator);
        noise.Reset(1);
        Assert.Equal([0.0, 0.0], ((OrnsteinUhlenbeckActionNoise)noise[1]).Current.ToArray());
        Assert.NotEqual(0.0, ((OrnsteinUhlenbeckActionNoise)noise[0]).Current[0]);
        Assert.NotEqual(0.0, ((OrnsteinUhlenbeckActionNoise)noise[2]).Current[0]);
        noise.Reset();
        Assert.All(Enumerable.Range(0, 3), e => Assert.Equal(0.0, ((OrnsteinUhlenbeckActionNoise)noise[e]).Current[1]));
    }

    [Fact]
    public void State_round_trips_so_a_restored_process_continues_identically()
    {
        var noise = new VectorizedActionNoise(new OrnsteinUhlenbeckActionNoise(2, [0.1], [0.5]), 2);
        var generator = new Generator(3);
        var values = new float[4];
        for (int i = 0; i < 7; i++) noise.Sample(values, generator);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) noise.WriteState(writer);
        var restored = new VectorizedActionNoise(new OrnsteinUhlenbeckActionNoise(2, [0.1], [0.5]), 2);
        stream.Position = 0;
        using (var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true)) restored.ReadState(reader);
        var state = generator.State;
        var other = new Generator(0) { State = state };
        var expected = new float[4];
        var actual = new float[4];
        noise.Sample(expected, generator);
        restored.Sample(actual, other);
        Assert.Equal(expected, actual);

        stream.Position = 0;
        var wrongWidth = new VectorizedActionNoise(new OrnsteinUhlenbeckActionNoise(2, [0.1], [0.5]), 3);
        using var reader2 = new BinaryReader(stream);
        Assert.Throws<InvalidDataException>(() => wrongWidth.ReadState(reader2));
    }

    [Fact]
    public void Settings_of_the_wrong_length_fail_naming_the_setting()
    {
        var e = Assert.Throws<ArgumentException>(() => new NormalActionNoise(3, [0.0, 0.0], [0.1]));
        Assert.Contains("mean has 2 values, expected 1 or 3", e.Message);
    }

    [Fact]
    public void Adaptive_spec_divides_sigma_when_the_distance_is_too_large_and_multiplies_it_otherwise()
    {
        var spec = new AdaptiveParamNoiseSpec(initialStddev: 0.2, desiredActionStddev: 0.1, adoptionCoefficient: 1.05);
        spec.Adapt(0.3);
        Assert.Equal(0.2 / 1.05, spec.CurrentStddev, 12);
        spec.Adapt(0.05);
        spec.Adapt(0.1);
        Assert.Equal(0.2 * 1.05, spec.CurrentStddev, 12);
    }

    [Fact]
    public void Parameter_noise_perturbs_every_weight_but_layer_norm_and_measures_the_action_distance()
    {
        var options = new PolicyOptions { ActivationFn = Activation.Relu, NetArch = new NetArchOptions { Pi = [16, 16] }, LayerNorm = true };
        var space = new Box(-1, 1, [2]);
        var policy = new Td3Policy(new Box(-5, 5, [3]), space, options, new Generator(0), "DDPG", defaultCritics: 1);
        var noise = new ParameterNoise(policy.Actor, policy.CreateActorCopy(), policy.CreateActorCopy(), new AdaptiveParamNoiseSpec(0.3, 0.1, 1.01));
        var generator = new Generator(4);
        noise.Perturb(generator);
        var actor = policy.Actor.StateDict();
        foreach (var (name, perturbed) in noise.Perturbed.StateDict())
        {
            bool layerNorm = name is "mu.1.weight" or "mu.1.bias" or "mu.4.weight" or "mu.4.bias";
            bool same = actor[name].ToArray().AsSpan().SequenceEqual(perturbed.ToArray());
            Assert.True(same == layerNorm, $"{name}: perturbed {!same}, layer norm {layerNorm}");
        }
        // The perturbation's spread is σ.
        var differences = actor["mu.3.weight"].ToArray().Zip(noise.Perturbed.StateDict()["mu.3.weight"].ToArray(), (a, b) => (double)b - a).ToArray();
        double std = Math.Sqrt(differences.Select(d => d * d).Average());
        Assert.InRange(std, 0.25, 0.35);

        var observations = Tensor.Randn(new Generator(5), 32, 3);
        double distance = noise.Adapt(observations, generator);
        var clean = policy.Actor.Forward(observations).ToArray();
        var adapted = noise.Adaptive.Forward(observations).ToArray();
        double expected = Math.Sqrt(clean.Zip(adapted, (a, b) => (double)(a - b) * (a - b)).Average());
        Assert.Equal(expected, distance, 6);
        Assert.Equal(distance > 0.1 ? 0.3 / 1.01 : 0.3 * 1.01, noise.Spec.CurrentStddev, 12);
    }
}
