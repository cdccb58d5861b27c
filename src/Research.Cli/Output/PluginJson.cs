using System.Text.Json;
using Research.Host.Catalog;

namespace Research.Cli.Output;

/// <summary>Writes catalog entries and faults as JSON for scripts (<c>--json</c>).</summary>
internal static class PluginJson
{
    public static void Write(TextWriter output, IEnumerable<PluginEntry> entries, IEnumerable<PluginFault> faults)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("plugins");
            foreach (var entry in entries) WriteEntry(json, entry);
            json.WriteEndArray();
            json.WriteStartArray("faults");
            foreach (var fault in faults)
            {
                json.WriteStartObject();
                json.WriteString("path", fault.Path);
                json.WriteString("reason", fault.Reason);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteEntry(Utf8JsonWriter json, PluginEntry entry)
    {
        json.WriteStartObject();
        json.WriteString("name", entry.Name);
        json.WriteString("kind", entry.KindName);
        json.WriteString("assembly", entry.AssemblyFile);
        json.WriteString("path", entry.AssemblyPath);
        json.WriteString("class", entry.Type.FullName);
        json.WriteString("description", entry.Description);
        json.WriteBoolean("available", entry.UnavailableReason is null);
        if (entry.UnavailableReason is { } reason) json.WriteString("unavailable_reason", reason);
        switch (entry)
        {
            case EnvironmentEntry env:
                json.WriteNumber("max_episode_steps", env.MaxEpisodeSteps);
                json.WritePropertyName("reward_threshold");
                OptionValues.Write(json, double.IsNaN(env.RewardThreshold) ? null : env.RewardThreshold);
                break;
            case ExpertEntry expert:
                json.WriteString("environment", expert.Environment);
                break;
        }
        var defaults = OptionValues.Defaults(entry);
        json.WriteStartArray("options");
        foreach (var option in entry.Options)
        {
            json.WriteStartObject();
            json.WriteString("name", option.Name);
            json.WriteString("type", option.TypeName);
            json.WritePropertyName("default");
            OptionValues.Write(json, defaults[option.Name]);
            json.WriteString("description", option.Description);
            json.WritePropertyName("min");
            OptionValues.Write(json, double.IsNaN(option.Min) ? null : option.Min);
            json.WritePropertyName("max");
            OptionValues.Write(json, double.IsNaN(option.Max) ? null : option.Max);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
