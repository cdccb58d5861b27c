using System.Reflection;
using Research.Abstractions.Options;

namespace Research.Host.Catalog;

/// <summary>One plugin class in the catalog: its name, where it came from, and the options it takes.</summary>
/// <param name="Name">The name users type (an algorithm's or expert's name, an environment's id).</param>
/// <param name="Type">The plugin class.</param>
/// <param name="Constructor">The constructor the host calls.</param>
/// <param name="OptionsType">The options record the constructor takes; null when it takes none.</param>
/// <param name="Options">The bindable options with their defaults, as <see cref="OptionsBinder.Describe"/> lists them.</param>
/// <param name="AssemblyPath">The full path of the plugin assembly.</param>
/// <param name="Description">A one-line description from the attribute.</param>
public abstract record PluginEntry(
    string Name, Type Type, ConstructorInfo Constructor, Type? OptionsType,
    IReadOnlyList<OptionInfo> Options, string AssemblyPath, string Description)
{
    /// <summary>What the class provides.</summary>
    public abstract PluginKind Kind { get; }

    /// <summary>The plugin assembly's file name (for messages and listings).</summary>
    public string AssemblyFile => Path.GetFileName(AssemblyPath);

    /// <summary>The kind in lower case, as messages and listings spell it.</summary>
    public string KindName => Kind.ToString().ToLowerInvariant();

    /// <summary>Why the plugin cannot be used on this machine (its assembly's <c>[AvailabilityCheck]</c> said so), or null when it can.</summary>
    public string? UnavailableReason { get; init; }
}

/// <summary>An <c>[Algorithm]</c> class; its options type derives from <see cref="AlgorithmOptions"/>.</summary>
public sealed record AlgorithmEntry(
    string Name, Type Type, ConstructorInfo Constructor, Type OptionsType,
    IReadOnlyList<OptionInfo> Options, string AssemblyPath, string Description)
    : PluginEntry(Name, Type, Constructor, OptionsType, Options, AssemblyPath, Description)
{
    /// <summary>The options record, which derives from <see cref="AlgorithmOptions"/>.</summary>
    public new Type OptionsType { get; } = OptionsType;

    /// <inheritdoc />
    public override PluginKind Kind => PluginKind.Algorithm;
}

/// <summary>An <c>[Environment]</c> class with its registry data (time limit and the return that counts as solved).</summary>
public sealed record EnvironmentEntry(
    string Name, Type Type, ConstructorInfo Constructor, Type? OptionsType,
    IReadOnlyList<OptionInfo> Options, string AssemblyPath, string Description,
    int MaxEpisodeSteps, double RewardThreshold)
    : PluginEntry(Name, Type, Constructor, OptionsType, Options, AssemblyPath, Description)
{
    /// <inheritdoc />
    public override PluginKind Kind => PluginKind.Environment;
}

/// <summary>An <c>[Expert]</c> class and the environment it acts in.</summary>
public sealed record ExpertEntry(
    string Name, Type Type, ConstructorInfo Constructor, Type? OptionsType,
    IReadOnlyList<OptionInfo> Options, string AssemblyPath, string Description,
    string Environment)
    : PluginEntry(Name, Type, Constructor, OptionsType, Options, AssemblyPath, Description)
{
    /// <inheritdoc />
    public override PluginKind Kind => PluginKind.Expert;
}
