using System.Text.Json.Nodes;
using Research.Abstractions.Algorithms;
using Research.Abstractions.Metrics;
using Research.Abstractions.Options;
using Research.Abstractions.Spaces;
using Research.Host.Catalog;
using Research.Host.Models;
using Research.Rl.Algorithms;
using Research.Rl.VectorEnvs;
using Research.Tensors.Io;

namespace Research.Host.Tests.Training;

public sealed class ModelLoaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A catalog holding <see cref="RecordingAlgorithm"/> (with Load) and the fixture's SampleAlgo (without).</summary>
    private static PluginCatalog Catalog()
    {
        var sample = Fixtures.Catalog(Fixtures.Folder("SamplePlugin"));
        var recording = new AlgorithmEntry("Recording", typeof(RecordingAlgorithm), typeof(RecordingAlgorithm).GetConstructors()[0],
            typeof(AlgorithmOptions), OptionsBinder.Describe(typeof(AlgorithmOptions)), typeof(RecordingAlgorithm).Assembly.Location, "test");
        return new PluginCatalog([recording, .. sample.Entries], []);
    }

    private string Model(string algorithm, long timesteps = 42)
    {
        string path = Path.Combine(_temp.Path, $"{algorithm}-{Guid.NewGuid():N}.zip");
        var data = new JsonObject
        {
            ["format_version"] = ModelArchive.FormatVersion,
            ["algorithm"] = algorithm,
            ["options"] = new JsonObject(),
            ["observation_space"] = SpaceJson.ToJson(new Box(-1, 1, [3])),
            ["action_space"] = SpaceJson.ToJson(new Discrete(4)),
            ["num_timesteps"] = timesteps,
            ["iteration"] = 1,
        };
        ModelArchive.Write(path, data, [new("w", new NpyArray(new float[] { 1, 2 }, 2))], [], null);
        return path;
    }

    [Fact]
    public void Loads_through_the_algorithms_static_Load_found_by_name()
    {
        string path = Model("Recording", timesteps: 1234);

        using var model = new ModelLoader(Catalog()).Load(path);

        var algorithm = Assert.IsType<RecordingAlgorithm>(model.Algorithm);
        Assert.Equal(path, algorithm.LoadedFrom);
        Assert.Equal(1234, algorithm.NumTimesteps);
        Assert.Equal([3], model.ObservationSpace.Shape);
        Assert.Equal(4, Assert.IsType<Discrete>(model.ActionSpace).N);
        Assert.Equal("Recording", ModelLoader.AlgorithmOf(path));
    }

    [Fact]
    public void Finds_ActionProbability_by_signature()
    {
        using var model = new ModelLoader(Catalog()).Load(Model("Recording"));

        var probabilities = ActionProbabilities.For(model.Algorithm)([0.5f, 0, 0, 0.5f, 0, 0], 2);

        Assert.Equal([0.5f, 0.5f], probabilities);
    }

    [Fact]
    public void An_algorithm_without_ActionProbability_is_named()
    {
        var sample = Fixtures.Catalog(Fixtures.Folder("SamplePlugin"));
        using var env = new SyncVectorEnv(_ => sample.CreateEnvironment("Sample-v0"), 1);
        using var algorithm = sample.CreateAlgorithm("SampleAlgo", env, sample.BindAlgorithmOptions("SampleAlgo"));

        var error = Assert.Throws<NotSupportedException>(() => ActionProbabilities.For(algorithm));

        Assert.Contains("SampleAlgo does not report action probabilities", error.Message);
    }

    [Fact]
    public void An_algorithm_without_Load_is_named_with_the_file()
    {
        string path = Model("SampleAlgo");

        var error = Assert.Throws<ModelFormatException>(() => new ModelLoader(Catalog()).Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("no public static Load(string path, IVectorEnv? env)", error.Message);
    }

    [Fact]
    public void An_unknown_algorithm_is_named_with_the_nearest()
    {
        string path = Model("Recordin");

        var error = Assert.Throws<ModelFormatException>(() => new ModelLoader(Catalog()).Load(path));

        Assert.Contains($"{path}: saved by algorithm 'Recordin', which is not installed", error.Message);
        Assert.Contains("did you mean 'Recording'", error.Message);
    }

    [Fact]
    public void Files_that_are_not_models_are_named()
    {
        string text = Path.Combine(_temp.Path, "notes.zip");
        File.WriteAllText(text, "hello");
        string missing = Path.Combine(_temp.Path, "missing.zip");

        Assert.StartsWith($"{text}: not a model file", Assert.Throws<ModelFormatException>(() => new ModelLoader(Catalog()).Load(text)).Message);
        Assert.StartsWith($"{missing}: no such model file", Assert.Throws<ModelFormatException>(() => new ModelLoader(Catalog()).Load(missing)).Message);
    }

    [Fact]
    public void Errors_raised_inside_Load_are_not_wrapped()
    {
        string path = Model("Recording", timesteps: -1);

        var error = Assert.Throws<ModelFormatException>(() => new ModelLoader(Catalog()).Load(path));

        Assert.Equal($"{path}: negative timesteps", error.Message);
    }
}

/// <summary>Loads only its counter; predicts action 0 and reports the first two observation elements as "probabilities".</summary>
public sealed class RecordingAlgorithm(IVectorEnv env, AlgorithmOptions options) : IAlgorithm
{
    public string? LoadedFrom { get; private init; }
    public IVectorEnv Env => env;
    public AlgorithmOptions Options => options;
    public string Name => "Recording";
    public long NumTimesteps { get; private init; }
    public int Iteration => 0;
    public ICollection<IMetricsSink> MetricsSinks { get; } = [];

    public static RecordingAlgorithm Load(string path, IVectorEnv? env)
    {
        var archive = ModelArchive.Read(path, "Recording");
        long timesteps = archive.Property("num_timesteps").GetInt64();
        if (timesteps < 0) throw new ModelFormatException($"{path}: negative timesteps");
        return new RecordingAlgorithm(env!, new AlgorithmOptions()) { LoadedFrom = path, NumTimesteps = timesteps };
    }

    public float[] ActionProbability(ReadOnlySpan<float> observations, int batch)
    {
        var result = new float[batch];
        for (int i = 0; i < batch; i++) result[i] = observations[i * (observations.Length / batch)];
        return result;
    }

    public ResultRow Train() => new();
    public void Learn(long totalTimesteps, TrainingCallback? callback = null, bool progressBar = false, bool resetNumTimesteps = true) { }
    public void Predict(ReadOnlySpan<float> observation, Span<float> action, bool deterministic = false) => action.Clear();
    public void Save(string path) { }
    public void SaveCheckpoint(string directory) { }
    public void RestoreCheckpoint(string directory) { }
    public void Dispose() { }
}
