using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Research.Abstractions.Spaces;
using Research.Interop.Onnx;
using Research.Plugins.ClassicControl;
using Research.Plugins.OnPolicy;
using Research.Rl.Policies;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;
using Research.Tensors;
using Research.Tensors.Nn;

namespace Research.Interop.Tests;

/// <summary>Every policy kind exported to ONNX and run in ONNX Runtime gives what <c>Predict</c> gives, to 1e-5.</summary>
public sealed class OnnxExportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("research-onnx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string> Kinds => new()
    {
        "mlp-discrete", "mlp-box", "mlp-box-sde", "mlp-multidiscrete", "mlp-multibinary", "discrete-observation", "dict-observation",
        "relu-box-2d-action", "cnn-channels-last", "cnn-channels-first", "dqn-mlp", "dqn-cnn",
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Onnx_Runtime_gives_what_Predict_gives(string kind)
    {
        var policy = Create(kind);
        Randomize(policy, kind.GetHashCode(StringComparison.Ordinal));
        string path = Path.Combine(_directory, kind + ".onnx");
        policy.ExportOnnx(path);
        const int batch = 5;
        var obs = Observations(policy.ObservationSpace, batch, seed: 3);
        Compare(policy, path, obs, batch, (o, b, a) => policy.Predict(o, b, a, deterministic: true));

        // The project's own runner (what `research predict model.onnx` uses) gives the same.
        var outputs = OnnxPolicy.Load(path).Run(obs, batch);
        var expected = new float[batch * policy.ActionSpace.FlatSize];
        policy.Predict(obs, batch, expected, deterministic: true);
        Within(expected, outputs["action"].ToArray(), "runner action");
    }

    [Fact]
    public void A_model_with_VecNormalize_folds_the_saved_statistics_in()
    {
        using var env = new VecNormalize(new SyncVectorEnv(_ => new TimeLimit(new PendulumEnv(), 200), 2));
        var ppo = new Ppo(env, new PpoOptions { Seed = 0, NSteps = 64, BatchSize = 64, NEpochs = 1 });
        ppo.Learn(256);
        string model = Path.Combine(_directory, "model.zip"), onnx = Path.Combine(_directory, "model.onnx");
        ppo.Save(model);
        var loaded = Ppo.Load(model);
        var normalization = ObservationNormalization.FromModel(model);
        Assert.NotNull(normalization);
        loaded.Policy.ExportOnnx(onnx, normalization);
        var obs = Observations(loaded.ObservationSpace, 6, seed: 4);
        var actions = new float[6];
        loaded.Predict(obs, 6, actions, deterministic: true);
        Assert.Contains(actions, a => Math.Abs(a) > 1e-3);
        Compare(loaded.Policy, onnx, obs, 6, (o, b, a) => loaded.Predict(o, b, a, deterministic: true), checkParameters: false);
    }

    [Fact]
    public void An_unsupported_policy_kind_is_refused_by_name()
    {
        var policy = new NoisePolicy(new Box(-1, 1, [2]), new Discrete(2));
        var e = Assert.Throws<NotSupportedException>(() => policy.ExportOnnx(Path.Combine(_directory, "x.onnx")));
        Assert.Contains("ONNX export of a NoisePolicy is not supported (ActorCriticPolicy: PPO, A2C, BC, GAIL; QNetworkPolicy: DQN)", e.Message);
        Assert.False(File.Exists(Path.Combine(_directory, "x.onnx")));
    }

    internal static void Compare(PolicyBase policy, string path, float[] obs, int batch, Action<float[], int, float[]> predict, bool checkParameters = true)
    {
        using var session = new InferenceSession(path);
        var space = policy.ObservationSpace;
        int[] dims = space is Box box ? [batch, .. box.Shape] : [batch, space.FlatSize];
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("obs", new DenseTensor<float>(obs, dims))]);
        var expected = new float[batch * policy.ActionSpace.FlatSize];
        predict(obs, batch, expected);
        var action = results.Single(r => r.Name == "action");
        float[] actual = action.Value is Tensor<long> longs ? longs.ToArray().Select(v => (float)v).ToArray() : action.AsTensor<float>().ToArray();
        Within(expected, actual, "action");
        if (!checkParameters) return;
        float[] parameters;
        using (Research.Tensors.Tensor.NoGrad())
            parameters = policy.ActionParameters(policy.Preprocess(obs, batch)).ToArray();
        Within(parameters, results.Single(r => r.Name == "action_parameters").AsTensor<float>().ToArray(), "action_parameters");
    }

    private static void Within(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}]: Predict {expected[i]}, ONNX Runtime {actual[i]}");
    }

    private static PolicyBase Create(string kind)
    {
        var box = new Box(-2, 2, [3]);
        var mlp = new PolicyOptions { NetArch = new NetArchOptions { Pi = [16, 8], Vf = [8], Qf = [16, 16] } };
        var generator = new Generator(1);
        var image = new Box(0, 255, [40, 44, 3], "uint8");
        var cnn = mlp with { FeaturesDim = 32 };
        return kind switch
        {
            "mlp-discrete" => new ActorCriticPolicy(box, new Discrete(3), mlp, generator, "PPO"),
            "mlp-box" => new ActorCriticPolicy(box, new Box([-1f, -0.5f], [1f, 0.5f]), mlp, generator, "PPO"),
            "mlp-box-sde" => new ActorCriticPolicy(box, new Box(-1, 1, [2]), mlp, generator, "PPO", useSde: true),
            "mlp-multidiscrete" => new ActorCriticPolicy(box, new MultiDiscrete([3, 2, 4]), mlp, generator, "A2C"),
            "mlp-multibinary" => new ActorCriticPolicy(box, new MultiBinary(4), mlp, generator, "A2C"),
            "discrete-observation" => new ActorCriticPolicy(new Discrete(5, start: 2), new Discrete(2), mlp, generator, "PPO"),
            "dict-observation" => new ActorCriticPolicy(new DictSpace([new("pos", box), new("mode", new Discrete(3)), new("flags", new MultiDiscrete([2, 3]))]),
                new Discrete(2), mlp, generator, "PPO"),
            "relu-box-2d-action" => new ActorCriticPolicy(new Box(-1, 1, [2, 3]), new Box(-1, 1, [2, 2]), mlp with { ActivationFn = Activation.Relu }, generator, "PPO"),
            "cnn-channels-last" => new ActorCriticPolicy(image, new Discrete(4), cnn, generator, "PPO"),
            "cnn-channels-first" => new ActorCriticPolicy(new Box(0, 255, [3, 36, 38], "uint8"), new Box(-1, 1, [2]), cnn, generator, "PPO"),
            "dqn-mlp" => new QNetworkPolicy(box, new Discrete(3), mlp with { ActivationFn = Activation.Relu }, generator, "DQN"),
            "dqn-cnn" => new QNetworkPolicy(image, new Discrete(3), cnn with { ActivationFn = Activation.Relu }, generator, "DQN"),
            _ => throw new ArgumentException(kind),
        };
    }

    // Initial output layers are scaled by 0.01; random weights make every action (and every argmax) depend on the whole network.
    private static void Randomize(PolicyBase policy, int seed)
    {
        var random = new Random(seed);
        policy.SetWeights(policy.GetWeights().ToDictionary(p => p.Key, p => p.Value.Select(_ => (float)(random.NextDouble() - 0.5) * 0.6f).ToArray()));
    }

    internal static float[] Observations(Space space, int batch, int seed)
    {
        var random = new Random(seed);
        var result = new float[batch * space.FlatSize];
        for (int b = 0; b < batch; b++) space.Sample(random, result.AsSpan(b * space.FlatSize, space.FlatSize));
        for (int k = 0; k < result.Length; k++)
            if (float.IsInfinity(result[k]) || Math.Abs(result[k]) > 10) result[k] = (float)(random.NextDouble() * 4 - 2);
        return result;
    }

    /// <summary>A policy kind the exporter does not know.</summary>
    private sealed class NoisePolicy(Space observation, Space action) : PolicyBase(observation, action, new PolicyOptions(), new Generator(0), "Noise")
    {
        public override Research.Tensors.Tensor ActionParameters(Research.Tensors.Tensor observations) =>
            Research.Tensors.Tensor.Zeros(observations.Shape[0], 2);
    }
}
