using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Abstractions.Options;
using Research.Abstractions.Spaces;
using Research.Storage;
using Research.Tensors.Io;

namespace Research.Rl.Algorithms;

/// <summary>
/// A saved model: a <c>.zip</c> holding <c>data.json</c> (format version, algorithm, options, spaces, counters),
/// <c>policy.npz</c> and <c>optimizer.npz</c> (arrays NumPy reads) and, when observations were normalized, <c>normalizer.npz</c>.
/// </summary>
public sealed class ModelArchive
{
    /// <summary>The newest format this build writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Entry names inside the zip.</summary>
    public const string DataEntry = "data.json", PolicyEntry = "policy.npz", OptimizerEntry = "optimizer.npz", NormalizerEntry = "normalizer.npz";

    private ModelArchive(string path, JsonElement data, string algorithm, IReadOnlyDictionary<string, NpyArray> policy,
        IReadOnlyDictionary<string, NpyArray> optimizer, IReadOnlyDictionary<string, NpyArray>? normalizer)
    {
        Path = path;
        Data = data;
        Algorithm = algorithm;
        Policy = policy;
        Optimizer = optimizer;
        Normalizer = normalizer;
    }

    /// <summary>The file read.</summary>
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

    /// <summary>Writes a model file complete-or-absent (<see cref="AtomicFile"/>).</summary>
    public static void Write(string path, JsonObject data, IEnumerable<KeyValuePair<string, NpyArray>> policy,
        IEnumerable<KeyValuePair<string, NpyArray>> optimizer, IEnumerable<KeyValuePair<string, NpyArray>>? normalizer) =>
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            var json = zip.CreateEntry(DataEntry, CompressionLevel.Optimal);
            using (var jsonStream = json.Open())
            using (var writer = new Utf8JsonWriter(jsonStream, new JsonWriterOptions { Indented = true }))
                data.WriteTo(writer);
            AddNpz(zip, PolicyEntry, policy, path);
            AddNpz(zip, OptimizerEntry, optimizer, path);
            if (normalizer is not null) AddNpz(zip, NormalizerEntry, normalizer, path);
        });

    /// <summary>Reads only <c>data.json</c> of a model file (checking its format version), e.g. to learn which algorithm saved it; failures name the file and the reason.</summary>
    public static JsonElement ReadData(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException($"{path}: no such model file.");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return ReadData(zip, path);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException($"{path}: not a model file (corrupt or not a zip archive): {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{path}: {DataEntry} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Reads and checks a model file saved by <paramref name="expectedAlgorithm"/>; every failure names the file and the reason.</summary>
    public static ModelArchive Read(string path, string expectedAlgorithm)
    {
        string name = System.IO.Path.GetFileName(path);
        if (!File.Exists(path)) throw new ModelFormatException($"{path}: no such model file.");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var data = ReadData(zip, path);
            string algorithm = Property(data, "algorithm", path).GetString() ?? "";
            if (algorithm != expectedAlgorithm)
                throw new ModelFormatException($"{name} was saved by {algorithm}, not {expectedAlgorithm} ({path}).");
            var policy = ReadNpz(zip, PolicyEntry, path);
            var optimizer = ReadNpz(zip, OptimizerEntry, path);
            var normalizer = zip.GetEntry(NormalizerEntry) is null ? null : ReadNpz(zip, NormalizerEntry, path);
            return new ModelArchive(path, data, algorithm, policy, optimizer, normalizer);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException($"{path}: not a model file (corrupt or not a zip archive): {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{path}: {DataEntry} is not valid JSON: {e.Message}", e);
        }
    }

    private static JsonElement ReadData(ZipArchive zip, string path)
    {
        JsonElement data;
        using (var stream = Entry(zip, DataEntry, path).Open())
        using (var document = JsonDocument.Parse(stream))
            data = document.RootElement.Clone();
        int version = Property(data, "format_version", path).GetInt32();
        if (version > FormatVersion)
            throw new ModelFormatException($"{path}: format version {version} is newer than this build reads (up to {FormatVersion}); update Research.");
        return data;
    }

    /// <summary>A required property of <c>data.json</c>.</summary>
    public JsonElement Property(string key) => Property(Data, key, Path);

    private static JsonElement Property(JsonElement data, string key, string path) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(key, out var value)
            ? value
            : throw new ModelFormatException($"{path}: {DataEntry} has no '{key}'.");

    private static ZipArchiveEntry Entry(ZipArchive zip, string entry, string path) =>
        zip.GetEntry(entry) ?? throw new ModelFormatException(
            $"{path}: missing entry '{entry}' (the archive has: {string.Join(", ", zip.Entries.Select(e => e.FullName))}).");

    private static void AddNpz(ZipArchive zip, string entry, IEnumerable<KeyValuePair<string, NpyArray>> arrays, string path)
    {
        // The nested archive is built in memory (a zip needs a seekable stream to be standard), then stored as one entry.
        using var npz = new MemoryStream();
        NpzWriter.Write(npz, $"{path} ({entry})", arrays);
        npz.Position = 0;
        using var target = zip.CreateEntry(entry, CompressionLevel.Optimal).Open();
        npz.CopyTo(target);
    }

    private static Dictionary<string, NpyArray> ReadNpz(ZipArchive zip, string entry, string path)
    {
        // Read in memory, never spilled to disk: the nested archive needs a seekable stream.
        string source = $"{path} ({entry})";
        try
        {
            using var npz = new MemoryStream();
            using (var stream = Entry(zip, entry, path).Open()) stream.CopyTo(npz);
            npz.Position = 0;
            var archive = NpzArchive.Read(npz, source);
            return archive.Names.ToDictionary(n => n, n => archive[n], StringComparer.Ordinal);
        }
        catch (NpyFormatException e)
        {
            throw new ModelFormatException($"{path}: entry '{entry}' is corrupt: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException($"{path}: entry '{entry}' is corrupt: {e.Message}", e);
        }
    }
}
