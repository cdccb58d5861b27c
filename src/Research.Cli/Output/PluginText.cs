using System.Globalization;
using Research.Host.Catalog;

namespace Research.Cli.Output;

/// <summary>Writes catalog entries as aligned plain text for people.</summary>
internal static class PluginText
{
    /// <summary>One row per entry: kind, name, assembly, options with defaults.</summary>
    public static void WriteList(TextWriter output, IReadOnlyList<PluginEntry> entries)
    {
        var rows = entries.Select(e => new[]
        {
            e.KindName, e.Name, e.AssemblyFile,
            string.Join(", ", OptionValues.Defaults(e).Select(p => $"{p.Key}={OptionValues.Text(p.Value)}")),
        });
        WriteTable(output, ["KIND", "NAME", "ASSEMBLY", "OPTIONS"], rows, indent: "");
        var unavailable = entries.Where(e => e.UnavailableReason is not null).GroupBy(e => e.AssemblyFile).ToList();
        if (unavailable.Count == 0) return;
        output.WriteLine();
        output.WriteLine("Not available on this machine (listed above, but cannot be created):");
        foreach (var plugin in unavailable)
            output.WriteLine($"  {plugin.Key} ({string.Join(", ", plugin.Select(e => e.Name))}): {plugin.First().UnavailableReason}");
    }

    /// <summary>Everything about one entry, and a table of its options.</summary>
    public static void WriteDetails(TextWriter output, PluginEntry entry)
    {
        output.WriteLine($"{entry.Name} ({entry.KindName})");
        if (entry.Description.Length > 0) output.WriteLine($"  {entry.Description}");
        output.WriteLine($"  class:    {entry.Type.FullName}");
        output.WriteLine($"  assembly: {entry.AssemblyPath}");
        if (entry.UnavailableReason is { } reason) output.WriteLine($"  unavailable: {reason}");
        switch (entry)
        {
            case EnvironmentEntry env:
                output.WriteLine($"  max_episode_steps: {(env.MaxEpisodeSteps > 0 ? env.MaxEpisodeSteps.ToString(CultureInfo.InvariantCulture) : "none")}");
                output.WriteLine($"  reward_threshold:  {(double.IsNaN(env.RewardThreshold) ? "none" : OptionValues.Text(env.RewardThreshold))}");
                break;
            case ExpertEntry expert:
                output.WriteLine($"  environment: {expert.Environment}");
                break;
        }
        if (entry.Options.Count == 0)
        {
            output.WriteLine("  options: none");
            return;
        }
        output.WriteLine("  options:");
        var defaults = OptionValues.Defaults(entry);
        var rows = entry.Options.Select(o => new[]
        {
            o.Name, o.TypeName, OptionValues.Text(defaults[o.Name]), Range(o.Min, o.Max), o.Description,
        });
        WriteTable(output, ["NAME", "TYPE", "DEFAULT", "RANGE", "DESCRIPTION"], rows, indent: "    ");
    }

    private static string Range(double min, double max) =>
        double.IsNaN(min) && double.IsNaN(max) ? ""
            : $"[{(double.IsNaN(min) ? "-inf" : OptionValues.Text(min))}, {(double.IsNaN(max) ? "inf" : OptionValues.Text(max))}]";

    private static void WriteTable(TextWriter output, string[] header, IEnumerable<string[]> rows, string indent)
    {
        var all = rows.Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(c => all.Max(r => r[c].Length)).ToArray();
        foreach (var row in all)
            output.WriteLine(indent + string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
    }
}
