using System.Text.Json;
using Research.Abstractions.Environments;

namespace Research.Rl.Rollouts;

/// <summary>Chooses an action for an observation (a trained policy, an expert, or a fixed list).</summary>
public delegate void ActionPolicy(ReadOnlySpan<float> observation, Span<float> action);

/// <summary>Settings of a rollout.</summary>
public sealed record RolloutOptions
{
    /// <summary>Number of episodes to play.</summary>
    public int Episodes { get; init; } = 1;

    /// <summary>Seed of the first reset (and of random actions); later episodes continue the generator, as Gymnasium does. Null draws one.</summary>
    public int? Seed { get; init; }

    /// <summary>Most steps per episode; 0 for no cap besides the environment's own end (wrap the env in a TimeLimit for Gymnasium's limits).</summary>
    public int MaxStepsPerEpisode { get; init; }
}

/// <summary>Ready-made <see cref="ActionPolicy"/>s.</summary>
public static class ActionPolicies
{
    /// <summary>Uniform actions from the environment's action space, seeded with <paramref name="seed"/>.</summary>
    public static ActionPolicy Random(IEnv env, int? seed)
    {
        env.ActionSpace.Seed(seed);
        return (_, action) => env.ActionSpace.Sample(action);
    }

    /// <summary>Plays <paramref name="actions"/> in order, starting over at the list's beginning every episode via <see cref="Rollout"/>; throws when it runs out.</summary>
    public static Func<ActionPolicy> Fixed(IReadOnlyList<float[]> actions) => () =>
    {
        int next = 0;
        return (_, action) =>
        {
            if (next >= actions.Count) throw new InvalidOperationException($"Rollout: the fixed action list has {actions.Count} actions and the episode needs more.");
            actions[next++].CopyTo(action);
        };
    };
}

/// <summary>Plays episodes and writes them as JSON lines: one <c>reset</c>, one <c>step</c> per step, one <c>end</c> per episode.</summary>
/// <remarks>
/// Lines: <c>{"type":"reset","episode":0,"seed":0,"obs":[…]}</c>,
/// <c>{"type":"step","episode":0,"t":0,"action":[…],"obs":[…],"reward":1.0,"terminated":false,"truncated":false}</c>,
/// <c>{"type":"end","episode":0,"return":22.0,"length":22}</c>. Floats are written shortest round-trip.
/// </remarks>
public static class Rollout
{
    /// <summary>Plays <see cref="RolloutOptions.Episodes"/> episodes choosing actions with a fresh policy from <paramref name="policyPerEpisode"/> each episode.</summary>
    public static IReadOnlyList<EpisodeSummary> WriteJsonLines(IEnv env, Func<ActionPolicy> policyPerEpisode, RolloutOptions options, TextWriter output)
    {
        if (options.Episodes <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.Episodes, "Rollout: episodes must be positive.");
        var summaries = new List<EpisodeSummary>();
        var observation = new float[env.ObservationSpace.FlatSize];
        var action = new float[env.ActionSpace.FlatSize];
        for (int episode = 0; episode < options.Episodes; episode++)
        {
            int? seed = episode == 0 ? options.Seed : null;
            env.Reset(observation, seed);
            WriteLine(output, new { type = "reset", episode, seed, obs = observation });
            var policy = policyPerEpisode();
            double total = 0;
            int t = 0;
            while (true)
            {
                policy(observation, action);
                var outcome = env.Step(action, observation);
                total += outcome.Reward;
                WriteLine(output, new { type = "step", episode, t, action, obs = observation, reward = outcome.Reward, terminated = outcome.Terminated, truncated = outcome.Truncated });
                t++;
                if (outcome.Done || t == options.MaxStepsPerEpisode) break;
            }
            WriteLine(output, new { type = "end", episode, @return = total, length = t });
            summaries.Add(new EpisodeSummary(episode, total, t));
        }
        output.Flush();
        return summaries;
    }

    /// <summary>Plays episodes with one policy for all of them.</summary>
    public static IReadOnlyList<EpisodeSummary> WriteJsonLines(IEnv env, ActionPolicy policy, RolloutOptions options, TextWriter output) =>
        WriteJsonLines(env, () => policy, options, output);

    private static void WriteLine(TextWriter output, object record) => output.WriteLine(JsonSerializer.Serialize(record, JsonOptions));

    private static readonly JsonSerializerOptions JsonOptions = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
}

/// <summary>One played episode: its index, undiscounted return and length.</summary>
public readonly record struct EpisodeSummary(int Episode, double Return, int Length);
