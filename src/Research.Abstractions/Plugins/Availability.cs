namespace Research.Abstractions.Plugins;

/// <summary>Names the check a plugin assembly runs to tell the host whether it can work on this machine (for example, whether a native library it calls is installed).</summary>
/// <remarks>
/// The host runs the check once, after loading the assembly. An unavailable plugin's algorithms, environments and experts
/// are still listed, with the reason, so that <c>research plugins list</c> says what to install; creating one fails with
/// that reason. Without this attribute a plugin is always available.
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class AvailabilityCheckAttribute(Type checkType) : Attribute
{
    /// <summary>A class implementing <see cref="IAvailabilityCheck"/> with a public parameterless constructor.</summary>
    public Type CheckType { get; } = checkType;
}

/// <summary>A plugin's check of what it needs from the machine.</summary>
public interface IAvailabilityCheck
{
    /// <summary>Null when the plugin can be used here; otherwise one sentence saying what is missing and how to install it.</summary>
    string? UnavailableReason();
}
