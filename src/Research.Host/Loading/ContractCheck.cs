using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Research.Abstractions.Plugins;

namespace Research.Host.Loading;

/// <summary>Reads a plugin file's metadata without loading it: is it a .NET assembly, and which contract version does it reference?</summary>
internal static class ContractCheck
{
    private const string ContractAssembly = "Research.Abstractions";

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
                if (!reader.StringComparer.Equals(reference.Name, ContractAssembly)) continue;
                if (reference.Version.Major != ContractVersion.Major)
                    return $"built against plugin contract version {reference.Version.Major} ({ContractAssembly} {reference.Version}), " +
                           $"but this host implements version {ContractVersion.Major}; rebuild the plugin against this {ContractAssembly}";
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
