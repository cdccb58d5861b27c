using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Abstractions.Options;
using Research.Abstractions.Spaces;
using Research.Rl.Persistence;
using Research.Tensors.Io;

namespace Research.Rl.Algorithms;

/// <summary>
/// A model in memory: <c>data.json</c> (format version, algorithm, options, spaces, counters), the policy's and the optimizers'
/// arrays and, when observations were normalized, the normalizer's. On disk it is a section file: <c>model.zip</c> holds exactly
/// these four sections (<c>policy.npz</c> etc. are arrays NumPy reads); a checkpoint's <c>checkpoint.zip</c> holds them too, plus
/// its training sections — so a checkpoint directory is a model wherever a model file is.
/// </summary>
public sealed class ModelArchive
{
    /// <summary>The newest format this build writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Section names inside the file.</summary>
    public const string DataEntry = "data.json", PolicyEntry = "policy.npz", OptimizerEntry = "optimizer.npz", NormalizerEntry = "normalizer.npz";

    /// <summary>A model from its parts (a composite algorithm builds its generator's model this way, without a file).</summary>
    public ModelArchive(string path, JsonElement data, IReadOnlyDictionary<string, NpyArray> policy,
        IReadOnlyDictionary<string, NpyArray> optimizer, IReadOnlyDictionary<string, NpyArray>? normalizer)
    {
        Path = path;
        Data = data;
        Algorithm = Property(data, "algorithm", path).GetString() ?? "";
        Policy = policy;
        Optimizer = optimizer;
        Normalizer = normalizer;
    }

    /// <summary>The file read (or the file and part, for a composite's inner model).</summary>
    public string Path { get; }

    /// <summary>The root object of <c>data.json</c>.</summary>
    public JsonElement Data { get; }

    /// <summary>The algorithm that saved the model.</summary>
    public string Algorithm { get; }

    /// <summary>The policy's state dict.</summary>
    public IReadOnlyDictionary<string, NpyArray> Policy { get; }

    /// <summary>The optimizers' state, entries prefixed by optimizer name (<c>policy/step</c>).</summary>
    public IReadOnlyDictionary<string, NpyArray> Optimizer { get; }

    /// <summary>Observation/return normalization statistics, or null.</summary>
    public IReadOnlyDictionary<string, NpyArray>? Normalizer { get; }

    /// <summary>The <c>data.json</c> every model starts with: format version, algorithm, options, spaces and counters.</summary>
    public static JsonObject CreateData(string algorithm, object options, Space observationSpace, Space actionSpace, long numTimesteps, int iteration) => new()
    {
        ["format_version"] = FormatVersion,
        ["algorithm"] = algorithm,
        ["options"] = JsonSerializer.SerializeToNode(OptionsBinder.ToConfig(options)),
        ["observation_space"] = SpaceJson.ToJson(observationSpace),
        ["action_space"] = SpaceJson.ToJson(actionSpace),
        ["num_timesteps"] = numTimesteps,
        ["iteration"] = iteration,
    };

    /// <summary>A model from its parts, with <c>data.json</c> as a node (what an algorithm's <c>Save</c> builds).</summary>
    public static ModelArchive Create(string path, JsonObject data, IEnumerable<KeyValuePair<string, NpyArray>> policy,
        IEnumerable<KeyValuePair<string, NpyArray>> optimizer, IEnumerable<KeyValuePair<string, NpyArray>>? normalizer) =>
        new(path, JsonSerializer.SerializeToElement(data), ToDictionary(policy), ToDictionary(optimizer), normalizer is null ? null : ToDictionary(normalizer));

    /// <summary>Writes a model file atomically (a temporary file beside it, renamed over it).</summary>
    public static void Write(string path, JsonObject data, IEnumerable<KeyValuePair<string, NpyArray>> policy,
        IEnumerable<KeyValuePair<string, NpyArray>> optimizer, IEnumerable<KeyValuePair<string, NpyArray>>? normalizer) =>
        Create(path, data, policy, optimizer, normalizer).Write(path);

    /// <summary>Writes this model to <paramref name="path"/> atomically.</summary>
    public void Write(string path)
    {
        using var file = SectionFileWriter.Create(path);
        WriteTo(file.Root);
        file.Commit();
    }

    /// <summary>Writes the model's four sections (a checkpoint adds its training sections beside them).</summary>
    public void WriteTo(SectionWriter writer)
    {
        writer.WriteJson(DataEntry, JsonNode.Parse(Data.GetRawText())!);
        writer.WriteArrays(PolicyEntry, Policy);
        writer.WriteArrays(OptimizerEntry, Optimizer);
        if (Normalizer is not null) writer.WriteArrays(NormalizerEntry, Normalizer);
    }

    /// <summary>
    /// The file that holds the model at <paramref name="path"/>: the path itself, or for a checkpoint directory the
    /// <see cref="CheckpointFile.Name"/> inside it. A path that is neither is a <see cref="ModelFormatException"/>.
    /// </summary>
    public static string ResolveFile(string path)
    {
        if (Directory.Exists(path))
        {
            string file = System.IO.Path.Combine(path, CheckpointFile.Name);
            return File.Exists(file) ? file : throw new ModelFormatException(
                $"{path}: a directory without {CheckpointFile.Name}, so neither a checkpoint nor a model file" +
                (File.Exists(System.IO.Path.Combine(path, "state.bin")) ? " (it is a checkpoint of an older build, which this build cannot read)." : "."));
        }
        return File.Exists(path) ? path : throw new ModelFormatException($"{path}: no such model file or checkpoint directory.");
    }

    /// <summary>Reads only <c>data.json</c> of a model file or checkpoint (checking its format version), e.g. to learn which algorithm saved it; failures name the file and the reason.</summary>
    public static JsonElement ReadData(string path)
    {
        using var reader = SectionReader.Open(ResolveFile(path));
        return ReadData(reader);
    }

    /// <summary>Reads and checks a model file or checkpoint saved by <paramref name="expectedAlgorithm"/>; every failure names the file and the reason.</summary>
    public static ModelArchive Read(string path, string expectedAlgorithm)
    {
        using var reader = SectionReader.Open(ResolveFile(path));
        return Read(reader, expectedAlgorithm);
    }

    /// <summary>Reads the model sections of an open section file (the training sections, if any, stay for the caller).</summary>
    public static ModelArchive Read(SectionReader reader, string expectedAlgorithm)
    {
        var data = ReadData(reader);
        string algorithm = Property(data, "algorithm", reader.File).GetString() ?? "";
        if (algorithm != expectedAlgorithm)
            throw new ModelFormatException($"{System.IO.Path.GetFileName(reader.File)} was saved by {algorithm}, not {expectedAlgorithm} ({reader.File}).");
        var policy = reader.ReadArrays(PolicyEntry);
        var optimizer = reader.ReadArrays(OptimizerEntry);
        var normalizer = reader.Contains(NormalizerEntry) ? reader.ReadArrays(NormalizerEntry) : null;
        return new ModelArchive(reader.File, data, policy, optimizer, normalizer);
    }

    private static JsonElement ReadData(SectionReader reader)
    {
        var data = reader.ReadJson(DataEntry);
        int version = Property(data, "format_version", reader.File).GetInt32();
        if (version > FormatVersion)
            throw new ModelFormatException($"{reader.File}: format version {version} is newer than this build reads (up to {FormatVersion}); update Research.");
        return data;
    }

    /// <summary>A required property of <c>data.json</c>.</summary>
    public JsonElement Property(string key) => Property(Data, key, Path);

    private static JsonElement Property(JsonElement data, string key, string path) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(key, out var value)
            ? value
            : throw new ModelFormatException($"{path}: {DataEntry} has no '{key}'.");

    private static Dictionary<string, NpyArray> ToDictionary(IEnumerable<KeyValuePair<string, NpyArray>> arrays)
    {
        var map = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (var (name, array) in arrays) map.Add(name, array);
        return map;
    }
}
