using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Research.Host.Catalog;

namespace Research.Host.Tests;

/// <summary>Each broken plugin gives exactly one fault naming its file and the reason, and every other plugin still loads.</summary>
public class FaultTests
{
    [Fact]
    public void A_corrupt_dll_is_one_fault_and_the_others_load()
    {
        using var temp = new TempFolder();
        var corrupt = Path.Combine(temp.Path, "Corrupt", "Corrupt.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(corrupt)!);
        File.WriteAllBytes(corrupt, File.ReadAllBytes(Fixtures.Assembly("SamplePlugin"))[..1024]); // cut short, as by a failed copy
        temp.CopyPlugin("SamplePlugin", "SamplePlugin");

        var catalog = Fixtures.Catalog(temp.Path);

        var fault = Assert.Single(catalog.Faults);
        Assert.Equal(corrupt, fault.Path);
        // The part in parentheses is the runtime's own wording of the defect, which varies between .NET versions.
        Assert.Matches($"^{Regex.Escape(corrupt)}: not a valid \\.NET assembly \\(.+\\)$", fault.ToString());
        Assert.Contains(catalog.Entries, e => e.Name == "Sample-v0");
    }

    [Fact]
    public void Options_that_throw_while_listing_are_one_fault_and_the_assemblys_other_classes_load()
    {
        var catalog = Fixtures.Catalog(Fixtures.Folder("ThrowingPlugin"), Fixtures.Folder("SamplePlugin"));

        var fault = Assert.Single(catalog.Faults);
        Assert.Equal(
            $"{Fixtures.Assembly("ThrowingPlugin")}: expert 'throwing-options' (ThrowingPlugin.ThrowingOptionsExpert): " +
            "creating its default options ThrowingOptions threw InvalidOperationException: no default options",
            fault.ToString());
        Assert.Contains(catalog.Entries, e => e.Name == "Fine-v0");
        Assert.Contains(catalog.Entries, e => e.Name == "Throwing-v0");
        Assert.Contains(catalog.Entries, e => e.Name == "Sample-v0");
    }

    [Fact]
    public void A_constructor_that_throws_fails_creation_with_the_plugin_file_and_reason()
    {
        var catalog = Fixtures.Catalog(Fixtures.Folder("ThrowingPlugin"));

        var e = Assert.Throws<PluginException>(() => catalog.CreateEnvironment("Throwing-v0"));
        Assert.Equal("environment 'Throwing-v0' (ThrowingPlugin.dll) failed to start: InvalidOperationException: the simulator library is not installed", e.Message);
        Assert.IsType<InvalidOperationException>(e.InnerException);
        using var fine = catalog.CreateEnvironment("Fine-v0");
        Assert.NotNull(fine);
    }

    [Fact]
    public void Two_plugins_claiming_one_name_is_one_fault_naming_both_and_neither_is_registered()
    {
        var catalog = Fixtures.Catalog(Fixtures.Folder("TwinPluginA"), Fixtures.Folder("TwinPluginB"));

        var fault = Assert.Single(catalog.Faults);
        Assert.Equal(
            $"{Fixtures.Assembly("TwinPluginA")}: environment 'Twin-v0' is claimed by more than one plugin: " +
            $"TwinPluginA.TwinEnv in {Fixtures.Assembly("TwinPluginA")} and TwinPluginB.TwinEnv in {Fixtures.Assembly("TwinPluginB")}; " +
            "neither is registered until one is renamed or removed",
            fault.ToString());
        Assert.DoesNotContain(catalog.Entries, e => e.Name == "Twin-v0");
        Assert.Equal(["OnlyA-v0", "OnlyB-v0"], catalog.Entries.Select(e => e.Name));
    }

    [Fact]
    public void A_plugin_built_against_another_contract_major_version_is_refused_before_loading()
    {
        using var temp = new TempFolder();
        var future = temp.CopyPlugin("SamplePlugin", "FuturePlugin");
        var path = Path.Combine(future, "SamplePlugin.dll");
        SetReferencedContractMajor(path, 2);
        temp.CopyPlugin("TwinPluginA", "TwinPluginA");

        var catalog = Fixtures.Catalog(temp.Path);

        var fault = Assert.Single(catalog.Faults);
        Assert.Equal(
            $"{path}: built against plugin contract version 2 (Research.Abstractions 2.0.0.0), but this host implements version 1; " +
            "rebuild the plugin against this Research.Abstractions",
            fault.ToString());
        Assert.DoesNotContain(catalog.Entries, e => e.AssemblyPath == path);
        Assert.Contains(catalog.Entries, e => e.Name == "OnlyA-v0");
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => !a.IsDynamic && a.Location == path);
    }

    [Fact]
    public void A_plugin_built_against_another_shared_research_rl_is_a_fault_naming_both_versions()
    {
        using var temp = new TempFolder();
        var other = temp.CopyPlugin("SamplePlugin", "OtherRlPlugin");
        var path = Path.Combine(other, "SamplePlugin.dll");
        SetReferencedContractMajor(path, 7, "Research.Rl");

        var catalog = Fixtures.Catalog(temp.Path);

        var fault = Assert.Single(catalog.Faults);
        Assert.StartsWith($"{path}: built against Research.Rl 7.", fault.ToString());
        Assert.Contains("but this host shares Research.Rl 0.", fault.ToString());
        Assert.DoesNotContain(catalog.Entries, e => e.AssemblyPath == path);
    }

    // Rewrites the major version of the assembly's reference to Research.Abstractions: byte for byte what building
    // the same source against a Research.Abstractions 2.x would record.
    private static void SetReferencedContractMajor(string path, ushort major, string assembly = "Research.Abstractions")
    {
        var bytes = File.ReadAllBytes(path);
        int offset;
        using (var pe = new PEReader(new MemoryStream(bytes)))
        {
            var reader = pe.GetMetadataReader();
            var reference = reader.AssemblyReferences.Single(h => reader.GetString(reader.GetAssemblyReference(h).Name) == assembly);
            offset = pe.PEHeaders.MetadataStartOffset + reader.GetTableMetadataOffset(TableIndex.AssemblyRef) +
                     (MetadataTokens.GetRowNumber(reference) - 1) * reader.GetTableRowSize(TableIndex.AssemblyRef);
        }
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), major); // MajorVersion is the row's first column
        File.WriteAllBytes(path, bytes);
    }
}
