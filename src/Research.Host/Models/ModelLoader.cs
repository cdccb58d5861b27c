using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Research.Abstractions.Algorithms;
using Research.Host.Catalog;
using Research.Rl.Algorithms;
using Research.Rl.VectorEnvs;

namespace Research.Host.Models;

/// <summary>
/// Loads any model <c>.zip</c> by the algorithm named in its <c>data.json</c>: the algorithm is looked up in the catalog and
/// its public static <c>Load(string path, IVectorEnv? env)</c> is called, so new algorithm plugins need no change here.
/// </summary>
public sealed class ModelLoader(PluginCatalog catalog)
{
    /// <summary>The name of the algorithm that saved <paramref name="path"/>.</summary>
    public static string AlgorithmOf(string path) => AlgorithmOf(ModelArchive.ReadData(path), path);

    /// <summary>Loads <paramref name="path"/>; with <paramref name="env"/> (matching spaces) training can continue, without it the model predicts.</summary>
    public LoadedModel Load(string path, IVectorEnv? env = null)
    {
        var data = ModelArchive.ReadData(path);
        string name = AlgorithmOf(data, path);
        AlgorithmEntry entry;
        try
        {
            entry = catalog.Get<AlgorithmEntry>(name);
        }
        catch (PluginException e)
        {
            throw new ModelFormatException($"{path}: saved by algorithm '{name}', which is not installed: {e.Message}", e);
        }
        var load = entry.Type.GetMethod("Load", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(IVectorEnv)]);
        if (load is null || !typeof(IAlgorithm).IsAssignableFrom(load.ReturnType))
            throw new ModelFormatException(
                $"{path}: algorithm '{entry.Name}' ({entry.AssemblyFile}) has no public static Load(string path, IVectorEnv? env) returning an algorithm, so its models cannot be loaded.");
        IAlgorithm algorithm;
        try
        {
            algorithm = (IAlgorithm)load.Invoke(null, [path, env])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            if (inner is ModelFormatException) ExceptionDispatchInfo.Capture(inner).Throw();
            throw new ModelFormatException($"{path}: {entry.Name}.Load failed: {inner.GetType().Name}: {inner.Message}", inner);
        }
        var observationSpace = SpaceJson.FromJson(Property(data, "observation_space", path), path);
        var actionSpace = SpaceJson.FromJson(Property(data, "action_space", path), path);
        return new LoadedModel(path, algorithm, observationSpace, actionSpace);
    }

    private static string AlgorithmOf(JsonElement data, string path)
    {
        var algorithm = Property(data, "algorithm", path);
        return algorithm.ValueKind == JsonValueKind.String && algorithm.GetString() is { Length: > 0 } name
            ? name
            : throw new ModelFormatException($"{path}: {ModelArchive.DataEntry} names no algorithm ('algorithm' is {algorithm.GetRawText()}).");
    }

    private static JsonElement Property(JsonElement data, string key, string path) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(key, out var value)
            ? value
            : throw new ModelFormatException($"{path}: {ModelArchive.DataEntry} has no '{key}'.");
}
