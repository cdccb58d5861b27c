using System.Text;
using Research.Storage;
using Research.Tensors.Io;

namespace Research.Rl.Imitation;

/// <summary>
/// Reads and writes expert data as Stable-Baselines' <c>.npz</c> (keys <c>actions</c>, <c>obs</c>, <c>rewards</c>,
/// <c>episode_returns</c>, <c>episode_starts</c>), including files NumPy wrote with <c>np.savez</c> or <c>np.savez_compressed</c>.
/// </summary>
/// <remarks>
/// Image observations: Stable-Baselines stores their paths as a NumPy unicode array in <c>obs</c>, which our .npy reader
/// does not support, so the paths go to a manifest <c>&lt;name&gt;.obs_paths.txt</c> beside <c>&lt;name&gt;.npz</c> (one
/// path per line, relative to the manifest's directory, '/'-separated) and the archive has no <c>obs</c> entry.
/// </remarks>
public static class ExpertDataFile
{
    /// <summary>Suffix of the image manifest that replaces <c>obs</c> for image observations.</summary>
    public const string ManifestSuffix = ".obs_paths.txt";

    private static readonly string[] RequiredKeys = ["actions", "episode_starts", "episode_returns"];

    /// <summary>Appends <c>.npz</c> when <paramref name="path"/> has no extension, as <c>np.savez</c> does.</summary>
    public static string NormalizePath(string path) => Path.HasExtension(path) ? path : path + ".npz";

    /// <summary>The manifest path that goes with an archive path.</summary>
    public static string ManifestPath(string npzPath) =>
        Path.Combine(Path.GetDirectoryName(npzPath) ?? "", Path.GetFileNameWithoutExtension(npzPath) + ManifestSuffix);

    /// <summary>Writes <paramref name="data"/> atomically (the manifest first, then the archive, each through a temporary file).</summary>
    public static void Write(string path, ExpertTrajectories data, NpzCompression compression = NpzCompression.Stored)
    {
        ArgumentNullException.ThrowIfNull(data);
        path = NormalizePath(path);
        if (data.ObservationPaths is { } paths) WriteManifest(ManifestPath(path), paths);

        int n = data.Count;
        using var writer = new NpzWriter(path, compression);
        writer.Add("actions", Convert(data.Actions, data.ActionDType, [n, .. data.ActionShape]));
        if (!data.HasImages) writer.Add("obs", Convert(data.Observations, data.ObservationDType, [n, .. data.ObservationShape]));
        if (data.Rewards is { } rewards) writer.Add("rewards", new NpyArray(rewards, n));
        writer.Add("episode_returns", new NpyArray(data.EpisodeReturns, data.EpisodeCount));
        writer.Add("episode_starts", new NpyArray(data.EpisodeStarts, n));
        writer.Commit();
    }

    /// <summary>Reads an archive (and its image manifest, if any); every failure names the file, the key or index and the reason.</summary>
    public static ExpertTrajectories Read(string path)
    {
        NpzArchive archive;
        try
        {
            archive = NpzArchive.Read(path);
        }
        catch (Exception e) when (e is NpyFormatException or IOException or UnauthorizedAccessException)
        {
            throw new ExpertDataException($"{path}: cannot read the expert data: {e.Message}", e);
        }

        string manifest = ManifestPath(path);
        bool images = !archive.Contains("obs") && File.Exists(manifest);
        foreach (string key in images ? RequiredKeys : ["obs", .. RequiredKeys])
        {
            if (!archive.Contains(key))
                throw new ExpertDataException($"{path}: missing key '{key}' (the archive has: {string.Join(", ", archive.Names)}); " +
                    $"an expert archive needs obs (or an image manifest {Path.GetFileName(manifest)}), actions, episode_starts and episode_returns.");
        }

        var actions = archive["actions"];
        var starts = archive["episode_starts"];
        var returns = archive["episode_returns"];
        var rewards = archive.TryGet("rewards", out var r) ? r : null;
        RequireLeadingDimension(path, "actions", actions);
        RequireLeadingDimension(path, "episode_starts", starts);

        IReadOnlyList<string>? paths = null;
        float[] observations = [];
        int[] observationShape;
        NpyDType observationDType;
        if (images)
        {
            paths = ReadManifest(manifest);
            observationShape = [];
            observationDType = NpyDType.UInt8;
        }
        else
        {
            var obs = archive["obs"];
            RequireLeadingDimension(path, "obs", obs);
            observations = obs.AsFloat32();
            observationShape = [.. obs.Shape.Skip(1)];
            observationDType = obs.DType;
        }

        return new ExpertTrajectories(
            path,
            observations,
            observationShape,
            actions.AsFloat32(),
            [.. actions.Shape.Skip(1)],
            ReadEpisodeStarts(path, starts),
            returns.AsFloat64(),
            rewards?.AsFloat64(),
            observationDType,
            actions.DType,
            paths,
            Path.GetDirectoryName(Path.GetFullPath(path)) ?? "");
    }

    private static void RequireLeadingDimension(string path, string key, NpyArray array)
    {
        if (array.Shape.Count == 0)
            throw new ExpertDataException($"{path}: key '{key}' is a scalar; expected one row per step.");
    }

    private static bool[] ReadEpisodeStarts(string path, NpyArray starts)
    {
        if (starts.DType == NpyDType.Bool) return starts.Get<bool>();
        var values = starts.AsFloat64();
        var result = new bool[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is not (0 or 1))
                throw new ExpertDataException($"{path}: episode_starts[{i}] = {values[i]} is neither 0 nor 1.");
            result[i] = values[i] == 1;
        }
        return result;
    }

    private static NpyArray Convert(float[] values, NpyDType dtype, int[] shape) => dtype switch
    {
        NpyDType.Float32 => new NpyArray(values, shape),
        NpyDType.Float64 => new NpyArray(Array.ConvertAll(values, v => (double)v), shape),
        NpyDType.Int64 => new NpyArray(Array.ConvertAll(values, v => (long)v), shape),
        NpyDType.Int32 => new NpyArray(Array.ConvertAll(values, v => (int)v), shape),
        NpyDType.UInt8 => new NpyArray(Array.ConvertAll(values, v => (byte)v), shape),
        NpyDType.Bool => new NpyArray(Array.ConvertAll(values, v => v != 0), shape),
        _ => throw new ArgumentException($"ExpertDataFile: cannot store values as {dtype}; use float32, float64, int64, int32, uint8 or bool."),
    };

    private static void WriteManifest(string manifest, IReadOnlyList<string> paths)
    {
        AtomicFile.WriteAllLines(manifest, paths);
    }

    private static string[] ReadManifest(string manifest)
    {
        var lines = File.ReadAllLines(manifest);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) throw new ExpertDataException($"{manifest}: line {i + 1} is empty; expected one image path per step.");
        }
        return lines;
    }
}
