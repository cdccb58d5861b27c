using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Research.Rl.Algorithms;
using Research.Tensors.Io;
using Research.Tensors.Io.Pickle;

namespace Research.Rl.Interop.Sb3;

/// <summary>
/// A Stable-Baselines3 model file as <c>model.save</c> writes it: a zip of <c>data</c> (JSON; values JSON cannot hold are
/// cloudpickled, with their readable fields beside them), one <c>torch.save</c> file per state dict (<c>policy.pth</c>,
/// <c>policy.optimizer.pth</c>, …), <c>pytorch_variables.pth</c> and <c>_stable_baselines3_version</c>.
/// Read without running any pickle: the data's readable fields, and state dicts through <see cref="TorchFile"/>.
/// </summary>
public sealed class Sb3Archive
{
    /// <summary>The newest Stable-Baselines3 major version whose files are read.</summary>
    public const int NewestMajorVersion = 2;

    private const long MaxDataBytes = 64L << 20;

    private Sb3Archive(string path, string version, JsonElement data, IReadOnlyDictionary<string, object?> stateDicts)
    {
        Path = path;
        Version = version;
        Data = data;
        StateDicts = stateDicts;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>The Stable-Baselines3 version that saved it (<c>_stable_baselines3_version</c>).</summary>
    public string Version { get; }

    /// <summary>The root object of <c>data</c>.</summary>
    public JsonElement Data { get; }

    /// <summary>Each <c>.pth</c> record by name without extension (<c>policy</c>, <c>policy.optimizer</c>, <c>pytorch_variables</c>).</summary>
    public IReadOnlyDictionary<string, object?> StateDicts { get; }

    /// <summary>Reads and checks <paramref name="path"/>; every failure is a <see cref="ModelFormatException"/> naming the file and the reason.</summary>
    public static Sb3Archive Read(string path, TorchReadLimits? limits = null)
    {
        if (!File.Exists(path)) throw new ModelFormatException($"{path}: no such model file.");
        limits ??= TorchReadLimits.Default;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var versionEntry = zip.GetEntry("_stable_baselines3_version")
                ?? throw new ModelFormatException($"{path}: not a Stable-Baselines3 model (no '_stable_baselines3_version'; entries: {string.Join(", ", zip.Entries.Select(e => e.FullName))}).");
            string version = Encoding.UTF8.GetString(ZipEntryReader.ReadAll(versionEntry, 256, path)).Trim();
            if (!int.TryParse(version.Split('.')[0], out int major))
                throw new ModelFormatException($"{path}: unreadable Stable-Baselines3 version '{version}'.");
            if (major > NewestMajorVersion)
                throw new ModelFormatException($"{path}: saved by Stable-Baselines3 {version}, a newer format than this build reads (up to {NewestMajorVersion}.x).");
            if (major < 1)
                throw new ModelFormatException($"{path}: saved by Stable-Baselines3 {version}; only 1.x and 2.x files are read.");
            var dataEntry = zip.GetEntry("data") ?? throw new ModelFormatException($"{path}: no 'data' entry.");
            JsonElement data;
            using (var document = JsonDocument.Parse(ZipEntryReader.ReadAll(dataEntry, MaxDataBytes, path)))
                data = document.RootElement.Clone();
            if (data.ValueKind != JsonValueKind.Object) throw new ModelFormatException($"{path}: 'data' is not a JSON object.");
            var stateDicts = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".pth", StringComparison.Ordinal)))
            {
                string source = $"{path} ({entry.FullName})";
                stateDicts[entry.FullName[..^4]] = TorchFile.Read(ZipEntryReader.ReadAll(entry, limits.MaxStorageBytes + limits.MaxPickleBytes, source), source, limits);
            }
            return new Sb3Archive(path, version, data, stateDicts);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException($"{path}: not a Stable-Baselines3 model (corrupt or not a zip archive): {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{path}: 'data' is not valid JSON: {e.Message}", e);
        }
        catch (TorchFormatException e)
        {
            throw new ModelFormatException(e.Message, e);
        }
    }

    /// <summary>A state dict (<c>policy</c>) as name → tensor, in the file's order.</summary>
    public IReadOnlyList<KeyValuePair<string, TorchTensor>> StateDict(string name)
    {
        if (!StateDicts.TryGetValue(name, out var value))
            throw new ModelFormatException($"{Path}: no '{name}.pth' (the archive has: {string.Join(", ", StateDicts.Keys.Select(k => k + ".pth"))}).");
        if (value is not PyDict dict) throw new ModelFormatException($"{Path}: '{name}.pth' is not a state dict.");
        return dict.Entries.Select(e => e.Key is string key && e.Value is TorchTensor tensor
            ? new KeyValuePair<string, TorchTensor>(key, tensor)
            : throw new ModelFormatException($"{Path}: '{name}.pth' has an entry that is not name → tensor.")).ToList();
    }

    /// <summary>True when <c>data</c> has <paramref name="key"/>.</summary>
    public bool Has(string key) => Data.TryGetProperty(key, out _);

    /// <summary>A required item of <c>data</c>.</summary>
    public JsonElement Item(string key) => Data.TryGetProperty(key, out var value)
        ? value
        : throw new ModelFormatException($"{Path}: 'data' has no '{key}'.");

    /// <summary>An item that is a plain JSON number (or null when absent or null).</summary>
    public double? Number(string key) => Data.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    /// <summary>An item that is a JSON boolean (or null when absent).</summary>
    public bool? Boolean(string key) => Data.TryGetProperty(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    /// <summary>
    /// The inert contents of a cloudpickled item (<c>:serialized:</c>), read under <see cref="PickleRules.Inspection"/>: nothing is run;
    /// <paramref name="trace"/> receives every number and string in the order the pickle pushes them.
    /// </summary>
    public object? Inspect(string key, List<object?>? trace = null)
    {
        var item = Item(key);
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(":serialized:", out var serialized))
            throw new ModelFormatException($"{Path}: 'data.{key}' is not a serialized object.");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(serialized.GetString() ?? "");
        }
        catch (FormatException e)
        {
            throw new ModelFormatException($"{Path}: 'data.{key}' is not valid base64: {e.Message}", e);
        }
        try
        {
            return PickleReader.Read(bytes, PickleRules.Inspection, $"{Path} (data.{key})", trace);
        }
        catch (PickleFormatException e)
        {
            throw new ModelFormatException(e.Message, e);
        }
    }

    /// <summary>The class a serialized item refers to (<c>policy_class</c> → <c>stable_baselines3.common.policies.ActorCriticPolicy</c>).</summary>
    public PyGlobal? ClassOf(string key) => Has(key) && Item(key).ValueKind == JsonValueKind.Object ? Inspect(key) as PyGlobal : null;
}
