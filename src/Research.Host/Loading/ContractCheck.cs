using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Research.Abstractions.Plugins;

namespace Research.Host.Loading;

/// <summary>Reads a plugin file's metadata without loading it: is it a .NET assembly, and which contract version does it reference?</summary>
internal static class ContractCheck
{
    private const string ContractAssembly = "Research.Abstractions";

    /// <summary>A reference fits the host's copy when the major versions agree and the host's is at least as new.</summary>
    private static bool Compatible(Version reference, Version host) =>
        reference.Major == host.Major && (reference.Minor < host.Minor || (reference.Minor == host.Minor && reference.Build <= host.Build));

    /// <summary>Why the file cannot be loaded as a plugin, or null when it can.</summary>
    public static string? Problem(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata) return "not a .NET assembly (the file has no .NET metadata)";
            var reader = pe.GetMetadataReader();
            if (!reader.IsAssembly) return "not a .NET assembly (it is a module without an assembly manifest)";
            foreach (var handle in reader.AssemblyReferences)
            {
                var reference = reader.GetAssemblyReference(handle);
                string name = reader.GetString(reference.Name);
                if (name == ContractAssembly)
                {
                    if (reference.Version.Major != ContractVersion.Major)
                        return $"built against plugin contract version {reference.Version.Major} ({ContractAssembly} {reference.Version}), " +
                               $"but this host implements version {ContractVersion.Major}; rebuild the plugin against this {ContractAssembly}";
                }
                else if (SharedAssemblies.HostVersion(name) is { } host && !Compatible(reference.Version, host))
                {
                    // Every assembly the host shares is part of the contract: a plugin built against another Research.Rl or
                    // Research.Tensors would bind to this host's copy and fail with a missing method at run time, not here.
                    return $"built against {name} {reference.Version}, but this host shares {name} {host}; rebuild the plugin against this host's {name}";
                }
            }
            return null;
        }
        catch (BadImageFormatException e)
        {
            return $"not a valid .NET assembly ({e.Message})";
        }
        catch (IOException e)
        {
            return $"cannot be read ({e.Message})";
        }
    }
}
