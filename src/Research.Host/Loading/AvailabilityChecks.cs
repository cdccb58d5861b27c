using System.Reflection;
using Research.Abstractions.Plugins;

namespace Research.Host.Loading;

/// <summary>Runs a plugin assembly's <c>[AvailabilityCheck]</c>: null when it can be used here, else the reason.</summary>
internal static class AvailabilityChecks
{
    public static string? Run(Assembly assembly)
    {
        if (assembly.GetCustomAttribute<AvailabilityCheckAttribute>() is not { } attribute) return null;
        var type = attribute.CheckType;
        if (!typeof(IAvailabilityCheck).IsAssignableFrom(type) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
            return $"its availability check {type.FullName} is not a class implementing IAvailabilityCheck with a public parameterless constructor";
        try
        {
            return ((IAvailabilityCheck)Activator.CreateInstance(type)!).UnavailableReason();
        }
        catch (Exception e)
        {
            var inner = e is TargetInvocationException { InnerException: { } cause } ? cause : e;
            return $"its availability check {type.FullName} threw {inner.GetType().Name}: {inner.Message}";
        }
    }
}
