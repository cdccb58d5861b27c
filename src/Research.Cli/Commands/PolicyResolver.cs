using System.Globalization;
using System.Text.Json;
using Research.Abstractions.Environments;
using Research.Host.Models;
using Research.Rl.Rollouts;

namespace Research.Cli.Commands;

/// <summary>Turns a <c>--policy</c> spelling (<c>random</c>, <c>expert:&lt;name&gt;</c>, <c>model:&lt;zip&gt;</c>) into an action policy for an environment.</summary>
internal static class PolicyResolver
{
    public const string Help = "random, expert:<name> (a plugin expert), or model:<zip> (a saved model, acting deterministically).";

    /// <summary>A policy factory called once per episode (experts are reset there).</summary>
    public static Func<ActionPolicy> Resolve(CliContext context, string spelling, IEnv env, int? seed)
    {
        if (spelling == "random")
        {
            var random = ActionPolicies.Random(env, seed);
            return () => random;
        }
        if (spelling.StartsWith("expert:", StringComparison.Ordinal))
        {
            var expert = context.Catalog.CreateExpert(spelling["expert:".Length..]);
            ActionPolicy act = expert.Act;
            return () =>
            {
                expert.Reset();
                return act;
            };
        }
        if (spelling.StartsWith("model:", StringComparison.Ordinal))
        {
            // The model lives as long as the command; it holds no file handles once loaded.
            var model = new ModelLoader(context.Catalog).Load(spelling["model:".Length..]);
            EvalCommands.EnsureSpaces(model, env, spelling);
            ActionPolicy act = (observation, action) => model.Algorithm.Predict(observation, action, deterministic: true);
            return () => act;
        }
        throw new ArgumentException($"unknown policy '{spelling}': expected {Help}");
    }

    /// <summary>Reads one action per line: a number, or a JSON array for Box actions.</summary>
    public static IReadOnlyList<float[]> ReadActions(string path, int actionSize)
    {
        var actions = new List<float[]>();
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            float[] action;
            try
            {
                action = line.StartsWith('[')
                    ? JsonSerializer.Deserialize<float[]>(line) ?? []
                    : [float.Parse(line, NumberStyles.Float, CultureInfo.InvariantCulture)];
            }
            catch (Exception e) when (e is JsonException or FormatException or OverflowException)
            {
                throw new FormatException($"{path}:{lineNumber}: '{line}' is not an action (a number, or a JSON array of {actionSize} numbers).");
            }
            if (action.Length != actionSize)
                throw new FormatException($"{path}:{lineNumber}: the action has {action.Length} element(s), the environment takes {actionSize}.");
            actions.Add(action);
        }
        return actions;
    }
}
