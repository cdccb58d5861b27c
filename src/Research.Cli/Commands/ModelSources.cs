using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using Research.Abstractions.Algorithms;
using Research.Host.Catalog;
using Research.Rl.Algorithms;
using Research.Rl.VectorEnvs;

namespace Research.Cli.Commands;

/// <summary>What the imitation commands share: <c>--config k=v</c> maps, vector envs from the catalog, and loading a saved model by the algorithm its <c>data.json</c> names.</summary>
internal static class ModelSources
{
    /// <summary>Parses <c>key=value</c> pairs; a value is left as text for the options binder.</summary>
    public static Dictionary<string, object?> ParseConfig(IEnumerable<string> pairs)
    {
        var config = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw new ArgumentException($"--config '{pair}': expected key=value (for example n_steps=256).");
            config[pair[..equals]] = pair[(equals + 1)..];
        }
        return config;
    }

    /// <summary>A vector env of <paramref name="count"/> copies of environment <paramref name="id"/>.</summary>
    public static SyncVectorEnv VectorEnv(PluginCatalog catalog, string id, int count) => new(_ => catalog.CreateEnvironment(id), count);

    /// <summary>Loads a model file through the catalog: the algorithm named in its <c>data.json</c> must have <c>static Load(string, IVectorEnv?)</c>.</summary>
    public static IAlgorithm Load(PluginCatalog catalog, string path)
    {
        string algorithm = AlgorithmOf(path);
        var entry = catalog.Get<AlgorithmEntry>(algorithm);
        var load = entry.Type.GetMethod("Load", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(IVectorEnv)])
            ?? throw new PluginException($"{path}: algorithm '{entry.Name}' ({entry.AssemblyFile}) has no public static Load(string, IVectorEnv?) to read its models.");
        try
        {
            return (IAlgorithm)load.Invoke(null, [path, null])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw inner;
        }
    }

    /// <summary>The algorithm that saved a model file, from its <c>data.json</c>.</summary>
    public static string AlgorithmOf(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException($"{path}: no such model file.");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.GetEntry(ModelArchive.DataEntry) ?? throw new ModelFormatException($"{path}: not a model file (no {ModelArchive.DataEntry}).");
            using var stream = entry.Open();
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.TryGetProperty("algorithm", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()!
                : throw new ModelFormatException($"{path}: {ModelArchive.DataEntry} names no 'algorithm'.");
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            throw new ModelFormatException($"{path}: not a model file: {e.Message}", e);
        }
    }

    /// <summary>A number as the commands print it.</summary>
    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
