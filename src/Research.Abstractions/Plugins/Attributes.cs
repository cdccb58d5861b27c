namespace Research.Abstractions.Plugins;

/// <summary>Marks an <see cref="Algorithms.IAlgorithm"/> class as a plugin algorithm.</summary>
/// <remarks>The class needs a public constructor <c>(IVectorEnv env, TOptions options)</c> whose options type derives from <see cref="Options.AlgorithmOptions"/>.</remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AlgorithmAttribute(string name) : Attribute
{
    /// <summary>The unique name users type (for example <c>PPO</c>).</summary>
    public string Name { get; } = name;

    /// <summary>A one-line description for <c>research plugins list</c>.</summary>
    public string Description { get; init; } = "";
}

/// <summary>Marks an <see cref="Environments.IEnv"/> class as a plugin environment, with its Gymnasium id and time limit.</summary>
/// <remarks>The class needs a public parameterless constructor, or one taking its options record.</remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EnvironmentAttribute(string id) : Attribute
{
    /// <summary>The unique id (for example <c>CartPole-v1</c>).</summary>
    public string Id { get; } = id;

    /// <summary>Steps after which the registry's <c>TimeLimit</c> truncates an episode; 0 for none.</summary>
    public int MaxEpisodeSteps { get; init; }

    /// <summary>Gymnasium's <c>reward_threshold</c> (the return that counts as solved); NaN when it has none.</summary>
    public double RewardThreshold { get; init; } = double.NaN;

    /// <summary>A one-line description.</summary>
    public string Description { get; init; } = "";
}

/// <summary>
/// Marks a class that creates a whole family of environments, named <c>prefix:name</c> (for example <c>gym:ALE/Pong-v5</c>);
/// the class implements Research.Rl's <c>IEnvironmentFamily</c> and has a public parameterless constructor.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EnvironmentFamilyAttribute(string prefix) : Attribute
{
    /// <summary>The prefix before the colon (for example <c>gym</c>).</summary>
    public string Prefix { get; } = prefix;

    /// <summary>The family's options record (bound from the config's <c>vec_env_kwargs</c>); null when it has none.</summary>
    public Type? Options { get; init; }

    /// <summary>A one-line description.</summary>
    public string Description { get; init; } = "";
}

/// <summary>Marks an <see cref="Experts.IExpert"/> class as a plugin expert.</summary>
/// <remarks>The class needs a public parameterless constructor, or one taking its options record.</remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ExpertAttribute(string name) : Attribute
{
    /// <summary>The unique name (for example <c>cartpole-pid</c>).</summary>
    public string Name { get; } = name;

    /// <summary>The environment id the expert is made for.</summary>
    public string Environment { get; init; } = "";

    /// <summary>A one-line description.</summary>
    public string Description { get; init; } = "";
}

/// <summary>The version of the plugin contract; the host refuses plugins built against another major version of Research.Abstractions.</summary>
public static class ContractVersion
{
    /// <summary>Bumped on any breaking change to the types in Research.Abstractions; equals the assembly's major version.</summary>
    public const int Major = 1;
}
