namespace Research.Abstractions.Environments;

/// <summary>Gymnasium-shaped conveniences that return fresh arrays (for scripts and tests; hot loops use the span overloads).</summary>
public static class EnvExtensions
{
    /// <summary>Resets and returns the first observation with the info.</summary>
    public static (float[] Observation, IReadOnlyDictionary<string, object> Info) Reset(this IEnv env, int? seed = null)
    {
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, seed);
        return (observation, env.Info);
    }

    /// <summary>Steps and returns (observation, reward, terminated, truncated, info).</summary>
    public static (float[] Observation, double Reward, bool Terminated, bool Truncated, IReadOnlyDictionary<string, object> Info)
        Step(this IEnv env, ReadOnlySpan<float> action)
    {
        var observation = new float[env.ObservationSpace.FlatSize];
        var outcome = env.Step(action, observation);
        return (observation, outcome.Reward, outcome.Terminated, outcome.Truncated, env.Info);
    }

    /// <summary>Steps a discrete-action environment with an action index.</summary>
    public static (float[] Observation, double Reward, bool Terminated, bool Truncated, IReadOnlyDictionary<string, object> Info)
        Step(this IEnv env, int action) => env.Step([action]);
}

/// <summary>An empty info map shared by environments that report nothing.</summary>
public static class EmptyInfo
{
    /// <summary>The shared empty map.</summary>
    public static readonly IReadOnlyDictionary<string, object> Instance = new Dictionary<string, object>();
}
