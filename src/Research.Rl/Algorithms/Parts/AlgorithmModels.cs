using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Abstractions.Options;
using Research.Abstractions.Spaces;

namespace Research.Rl.Algorithms;

/// <summary>What loading and restoring read from a model's <c>data.json</c>: its spaces and its options, checked against an algorithm's.</summary>
public static class AlgorithmModels
{
    /// <summary>Options that may differ between a checkpoint and the object it is restored into: the state is restored whatever the seed, and verbosity only shows.</summary>
    private static readonly HashSet<string> Unchecked = new(StringComparer.Ordinal) { "seed", "verbose" };

    /// <summary>The observation and action spaces the model was trained on.</summary>
    public static (Space Observation, Space Action) Spaces(ModelArchive model) =>
        (SpaceJson.FromJson(model.Property("observation_space"), model.Path), SpaceJson.FromJson(model.Property("action_space"), model.Path));

    /// <summary>Throws a <see cref="ModelFormatException"/> naming both spaces when <paramref name="what"/>'s spaces differ from the model's.</summary>
    public static void EnsureSpaces(ModelArchive model, Space observationSpace, Space actionSpace, string what)
    {
        var (observation, action) = Spaces(model);
        if (!SpaceJson.AreEqual(observationSpace, observation))
            throw new ModelFormatException($"{model.Path}: the model's observation space {observation} does not match {what}'s {observationSpace}.");
        if (!SpaceJson.AreEqual(actionSpace, action))
            throw new ModelFormatException($"{model.Path}: the model's action space {action} does not match {what}'s {actionSpace}.");
    }

    /// <summary>The options saved with the model, bound again onto <typeparamref name="TOptions"/>.</summary>
    public static TOptions SavedOptions<TOptions>(ModelArchive model) where TOptions : AlgorithmOptions
    {
        var saved = model.Property("options");
        if (FirstCustomSchedule(saved, "") is { } custom)
            throw new ModelFormatException(
                $"{model.Path}: {custom} was a custom schedule (a C# function), which cannot be rebuilt from a file; restore this checkpoint " +
                $"into an algorithm built with that function (RestoreCheckpoint).");
        var config = saved.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        try
        {
            return (TOptions)OptionsBinder.Bind(typeof(TOptions), config, $"{model.Algorithm} model {model.Path}");
        }
        catch (OptionsException e)
        {
            throw new ModelFormatException($"{model.Path}: the saved options do not bind: {e.Message}", e);
        }
    }

    /// <summary>
    /// Throws a <see cref="ModelFormatException"/> naming the first option (seed and verbosity aside) whose saved value differs from
    /// <paramref name="options"/>', with both values.
    /// </summary>
    public static void EnsureSameOptions(ModelArchive model, object options, string owner)
    {
        // Both sides as parsed text, so numbers compare by how the same serializer writes them.
        var current = JsonNode.Parse(JsonSerializer.Serialize(OptionsBinder.ToConfig(options)))!.AsObject();
        var saved = JsonNode.Parse(model.Property("options").GetRawText())!.AsObject();
        if (FirstDifference(saved, current, "") is { } difference)
            throw new ModelFormatException(
                $"{model.Path} was saved with {difference.Key} = {Show(difference.Saved)}, but this {owner} has {difference.Key} = {Show(difference.Current)}; " +
                $"restore it into an algorithm built from the same config, or load it with its own options ({owner}.Load).");
    }

    private static (string Key, JsonNode? Saved, JsonNode? Current)? FirstDifference(JsonObject saved, JsonObject current, string prefix)
    {
        foreach (var key in current.Select(p => p.Key).Union(saved.Select(p => p.Key)))
        {
            if (prefix.Length == 0 && Unchecked.Contains(key)) continue;
            saved.TryGetPropertyValue(key, out var a);
            current.TryGetPropertyValue(key, out var b);
            if (a is JsonObject nestedA && b is JsonObject nestedB)
            {
                if (FirstDifference(nestedA, nestedB, prefix + key + ".") is { } inner) return inner;
            }
            else if (!JsonNode.DeepEquals(a, b))
            {
                return (prefix + key, a, b);
            }
        }
        return null;
    }

    private static string? FirstCustomSchedule(JsonElement options, string prefix)
    {
        foreach (var property in options.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() == "custom") return prefix + property.Name;
            if (property.Value.ValueKind == JsonValueKind.Object && FirstCustomSchedule(property.Value, prefix + property.Name + ".") is { } inner) return inner;
        }
        return null;
    }

    private static string Show(JsonNode? value) => value is null ? "(absent)" : value.ToJsonString();
}
