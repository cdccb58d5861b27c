using Research.Rl.Algorithms;
using Research.Rl.Interop.Sb3;
using Research.Tensors.Io;

namespace Research.EndToEnd.Tests;

/// <summary><c>research export onnx|sb3</c>, <c>research import sb3</c> and <c>research predict model.onnx</c> on the shared trained model.</summary>
public sealed class InteropCommandsTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-interop-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Predict_of_the_exported_onnx_equals_predict_of_the_model()
    {
        string onnx = Path.Combine(_dir, "policy.onnx"), obs = Path.Combine(_dir, "obs.npy");
        var generator = new Random(2);
        Npy.Write(obs, new NpyArray(Enumerable.Range(0, 7 * 4).Select(_ => (float)(generator.NextDouble() - 0.5)).ToArray(), 7, 4));

        var export = Cli.Run("export", "onnx", trained.ModelPath, "-o", onnx);
        var fromZip = Cli.Run("predict", trained.ModelPath, "--obs", obs, "--deterministic", "-o", Path.Combine(_dir, "zip.npy"));
        var fromOnnx = Cli.Run("predict", onnx, "--obs", obs, "-o", Path.Combine(_dir, "onnx.npy"));

        Assert.Equal(0, export.ExitCode);
        Assert.Contains("wrote ONNX graph", export.Out);
        Assert.Equal(0, fromOnnx.ExitCode);
        Assert.Equal(Npy.Read(Path.Combine(_dir, "zip.npy")).AsInt64(), Npy.Read(Path.Combine(_dir, "onnx.npy")).AsInt64());
        Assert.Equal(NpyDType.Int64, Npy.Read(Path.Combine(_dir, "onnx.npy")).DType);
    }

    [Fact]
    public void Export_sb3_then_import_sb3_gives_back_the_same_weights()
    {
        string sb3 = Path.Combine(_dir, "sb3.zip"), back = Path.Combine(_dir, "back.zip");

        var export = Cli.Run("export", "sb3", trained.ModelPath, "-o", sb3);
        var import = Cli.Run("import", "sb3", sb3, "-o", back);

        Assert.Equal(0, export.ExitCode);
        Assert.Equal(0, import.ExitCode);
        Assert.Contains("wrote PPO model", import.Out);
        Assert.Equal("2.4.1", Sb3Archive.Read(sb3).Version);
        var before = ModelArchive.Read(trained.ModelPath, "PPO");
        var after = ModelArchive.Read(back, "PPO");
        foreach (var (name, array) in before.Policy) Assert.Equal(array.AsFloat32(), after.Policy[name].AsFloat32());
        foreach (var (name, array) in before.Optimizer) Assert.Equal(array.AsFloat32(), after.Optimizer[name].AsFloat32());
    }

    [Fact]
    public void Import_of_a_file_that_is_not_a_model_fails_with_its_name()
    {
        string bad = Path.Combine(_dir, "junk.zip");
        File.WriteAllText(bad, "junk");

        var run = Cli.Run("import", "sb3", bad, "-o", Path.Combine(_dir, "out.zip"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{bad}: not a Stable-Baselines3 model", run.Error);
    }

    [Fact]
    public void Import_weights_from_keras_h5_and_from_npz()
    {
        string h5 = Path.Combine(AppContext.BaseDirectory, "golden", "keras", "rllib_fc.h5"), model = Path.Combine(_dir, "keras.zip");
        var keras = Cli.Run("import", "weights", h5, "--algo", "PPO", "--env", "CartPole-v1", "--seed", "0",
            "--config", "policy_kwargs.net_arch.pi=[16,16]", "policy_kwargs.net_arch.vf=[8,8]", "-o", model);
        Assert.Equal(0, keras.ExitCode);
        Assert.Contains("wrote PPO model", keras.Out);
        Assert.Equal([16, 4], ModelArchive.Read(model, "PPO").Policy["mlp_extractor.policy_net.0.weight"].Shape);

        var wrong = Cli.Run("import", "weights", h5, "--algo", "PPO", "--env", "CartPole-v1", "-o", Path.Combine(_dir, "wrong.zip"));
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("layer 'fc_1' has kernel (4, 16) but 'mlp_extractor.policy_net.0.weight' needs (4, 64)", wrong.Error);

        string npz = Path.Combine(_dir, "weights.npz"), fromNpz = Path.Combine(_dir, "npz.zip");
        var trainedWeights = ModelArchive.Read(trained.ModelPath, "PPO").Policy;
        NpzWriter.Write(npz, trainedWeights);
        var run = Cli.Run("import", "weights", npz, "--algo", "PPO", "--env", "CartPole-v1", "-o", fromNpz);
        Assert.Equal(0, run.ExitCode);
        foreach (var (name, array) in trainedWeights) Assert.Equal(array.AsFloat32(), ModelArchive.Read(fromNpz, "PPO").Policy[name].AsFloat32());
    }
}
