namespace Research.Host.Loading;

/// <summary>The assemblies every plugin shares with the host, so contract types are the same types on both sides.</summary>
internal static class SharedAssemblies
{
    private static readonly string[] Contract = ["Research.Abstractions", "Research.Storage", "Research.Tensors", "Research.Rl"];

    /// <summary>True for the contract assemblies and <c>Microsoft.Extensions.*</c>; everything else a plugin brings stays private to it.</summary>
    public static bool IsShared(string? assemblyName) =>
        assemblyName is not null &&
        (Contract.Contains(assemblyName, StringComparer.OrdinalIgnoreCase) ||
         assemblyName.StartsWith("Microsoft.Extensions.", StringComparison.OrdinalIgnoreCase));

    /// <summary>True for the contract assemblies themselves, which are never plugins even when a build copied them into a plugin folder.</summary>
    public static bool IsContract(string assemblyName) => Contract.Contains(assemblyName, StringComparer.OrdinalIgnoreCase);
}
