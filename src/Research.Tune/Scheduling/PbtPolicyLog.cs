using System.Text;
using System.Text.Json;

namespace Research.Tune;

/// <summary>One exploit step as Tune logs it: [target tag, clone tag, target iteration, clone iteration, clone config, new config].</summary>
public sealed record PbtPolicyStep(
    string TargetTag, string CloneTag, double TargetIteration, double CloneIteration,
    IReadOnlyDictionary<string, object?> OldConfig, IReadOnlyDictionary<string, object?> NewConfig);

/// <summary>
/// Tune's PBT logs in the experiment directory: every exploit goes to <c>pbt_global.txt</c>, and <c>pbt_policy_&lt;trial&gt;.txt</c>
/// holds a trial's whole lineage (its donor's file copied, then the step appended), one JSON list per line.
/// </summary>
/// <remarks>
/// Configs are written nested, as Tune's are. Tags are trial ids. The clone iteration is the iteration of the checkpoint that
/// was copied (Tune logs the donor's latest iteration, which is later when the donor trained on after that checkpoint);
/// that is where a replay must change its config. Appending a step that is already a file's last line does nothing, so a
/// driver that repeats a decision after a kill does not log it twice.
/// </remarks>
public static class PbtPolicyLog
{
    /// <summary>The global log's name.</summary>
    public const string GlobalFile = "pbt_global.txt";

    /// <summary>The policy file of trial <paramref name="trialId"/>.</summary>
    public static string PolicyFile(string experimentDir, string trialId) => Path.Combine(experimentDir, $"pbt_policy_{trialId}.txt");

    /// <summary>Logs <paramref name="step"/>: appended to the global log, and the target's policy file becomes the clone's plus this step.</summary>
    public static void Append(string experimentDir, PbtPolicyStep step)
    {
        string line = Format(step);
        string global = Path.Combine(experimentDir, GlobalFile);
        if (LastLine(global) != line) File.AppendAllText(global, line + "\n");
        string target = PolicyFile(experimentDir, step.TargetTag);
        if (LastLine(target) == line) return;
        string clone = PolicyFile(experimentDir, step.CloneTag);
        string lineage = File.Exists(clone) ? File.ReadAllText(clone) : "";
        AtomicFile.WriteAllText(target, lineage + line + "\n");
    }

    /// <summary>One step as Tune's JSON list.</summary>
    public static string Format(PbtPolicyStep step)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(step.TargetTag);
            writer.WriteStringValue(step.CloneTag);
            writer.WriteNumberValue(step.TargetIteration);
            writer.WriteNumberValue(step.CloneIteration);
            TuneJson.WritePlain(writer, TuneJson.Nest(step.OldConfig));
            TuneJson.WritePlain(writer, TuneJson.Nest(step.NewConfig));
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads a policy file; a line that is not a six-element list raises an error naming the file and line.</summary>
    public static IReadOnlyList<PbtPolicyStep> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"PBT policy file '{path}' does not exist.", path);
        var steps = new List<PbtPolicyStep>();
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Trim().Length == 0) continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                var items = document.RootElement;
                if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() != 6)
                    throw new InvalidDataException("not a list of six values");
                steps.Add(new PbtPolicyStep(
                    items[0].ToString(), items[1].ToString(), items[2].GetDouble(), items[3].GetDouble(),
                    TuneJson.Flatten(Map(items[4])), TuneJson.Flatten(Map(items[5]))));
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{path}:{number}: could not read the PBT policy ({e.Message}).", e);
            }
        }
        return steps;
    }

    private static Dictionary<string, object?> Map(JsonElement element) =>
        TuneJson.ToPlain(element) as Dictionary<string, object?> ?? throw new InvalidDataException("a config is not a map");

    private static string? LastLine(string path) =>
        File.Exists(path) ? File.ReadLines(path).LastOrDefault(l => l.Length > 0) : null;
}
