using System.CommandLine;
using Research.Cli.Output;

namespace Research.Cli.Commands;

/// <summary><c>research plugins list|show</c>: what the host found, and why some plugins could not load.</summary>
internal static class PluginsCommands
{
    public static Command Create(CliContext context)
    {
        var plugins = new Command("plugins", "List and describe the installed algorithms, environments and experts.");
        plugins.Subcommands.Add(List(context));
        plugins.Subcommands.Add(Show(context));
        return plugins;
    }

    private static Command List(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Write JSON (plugins with their options, and load faults)." };
        var list = new Command("list", "List every plugin: name, kind, assembly and options with their defaults.") { json };
        list.SetAction(parse =>
        {
            var catalog = context.Catalog;
            if (parse.GetValue(json))
                PluginJson.Write(context.Out, catalog.Entries, catalog.Faults);
            else if (catalog.Entries.Count == 0)
                context.Out.WriteLine($"No plugins found. Searched: {string.Join(", ", context.PluginFolders)}");
            else
                PluginText.WriteList(context.Out, catalog.Entries);
            return Program.Success;
        });
        return list;
    }

    private static Command Show(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "An algorithm, environment or expert name (case-insensitive)." };
        var json = new Option<bool>("--json") { Description = "Write JSON." };
        var show = new Command("show", "Describe one plugin and every option it takes.") { name, json };
        show.SetAction(parse =>
        {
            var catalog = context.Catalog;
            var entries = catalog.FindAll(parse.GetValue(name)!);
            if (parse.GetValue(json))
            {
                PluginJson.Write(context.Out, entries, []);
                return Program.Success;
            }
            for (int i = 0; i < entries.Count; i++)
            {
                if (i > 0) context.Out.WriteLine();
                PluginText.WriteDetails(context.Out, entries[i]);
            }
            return Program.Success;
        });
        return show;
    }
}
