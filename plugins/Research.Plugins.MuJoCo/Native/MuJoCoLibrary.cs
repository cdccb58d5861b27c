using System.Runtime.InteropServices;

namespace Research.Plugins.MuJoCo.Native;

/// <summary>Finds and loads the MuJoCo shared library once per process, checks its version against <see cref="MjLayout"/>, and installs the error and warning handlers.</summary>
/// <remarks>
/// Linux: <c>libmujoco.so.2.2.2</c> by name (Debian's runtime package has no unversioned link); Windows <c>mujoco.dll</c>;
/// macOS <c>libmujoco.2.2.2.dylib</c>. When <c>MUJOCO_PATH</c> is set (a folder holding the library, or the library file
/// itself), only that place is searched.
/// </remarks>
internal static unsafe class MuJoCoLibrary
{
    /// <summary>The environment variable naming the folder (or file) of the MuJoCo library.</summary>
    public const string PathVariable = "MUJOCO_PATH";

    private static readonly Lazy<(nint Handle, string? Problem)> Loaded = new(LoadOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The library's handle; throws <see cref="MuJoCoUnavailableException"/> with the reason when it cannot be used.</summary>
    public static nint Handle => Loaded.Value.Problem is { } problem ? throw new MuJoCoUnavailableException(problem) : Loaded.Value.Handle;

    /// <summary>Why MuJoCo cannot be used in this process, or null when it can.</summary>
    public static string? Problem => Loaded.Value.Problem;

    /// <summary>The file names tried, in order, for the current operating system and <c>MUJOCO_PATH</c>.</summary>
    public static IReadOnlyList<string> Candidates(string? mujocoPath)
    {
        string[] names = OperatingSystem.IsWindows() ? ["mujoco.dll"]
            : OperatingSystem.IsMacOS() ? ["libmujoco.2.2.2.dylib", "libmujoco.dylib"]
            : ["libmujoco.so.2.2.2"];
        if (string.IsNullOrEmpty(mujocoPath)) return names;
        return File.Exists(mujocoPath) ? [Path.GetFullPath(mujocoPath)] : names.Select(n => Path.Combine(Path.GetFullPath(mujocoPath), n)).ToArray();
    }

    /// <summary>The refusal of a library whose <c>mj_version()</c> is not the one <see cref="MjLayout"/> was generated for, or null when it matches.</summary>
    public static string? VersionProblem(int libraryVersion, string library) =>
        libraryVersion == MjLayout.Version ? null
            : $"MuJoCo library {library} reports version {FormatVersion(libraryVersion)} (mj_version() = {libraryVersion}), but this plugin reads mjModel and mjData " +
              $"through field offsets generated for {FormatVersion(MjLayout.Version)} ({MjLayout.Version}); install libmujoco{FormatVersion(MjLayout.Version)} " +
              $"or point {PathVariable} at a MuJoCo {FormatVersion(MjLayout.Version)} build.";

    /// <summary>222 → "2.2.2".</summary>
    public static string FormatVersion(int version) => $"{version / 100}.{version / 10 % 10}.{version % 10}";

    /// <summary>Why the library among <paramref name="candidates"/> cannot be used (missing, or another version), or null when it can; installs nothing.</summary>
    public static string? Inspect(IReadOnlyList<string> candidates)
    {
        var (handle, loaded, problem) = Open(candidates, Environment.GetEnvironmentVariable(PathVariable));
        if (problem is not null) return problem;
        try
        {
            var version = (delegate* unmanaged[Cdecl]<int>)MjApi.Export(handle, loaded!, "mj_version");
            return VersionProblem(version(), loaded!);
        }
        catch (EntryPointNotFoundException e)
        {
            return $"{loaded} is not a MuJoCo library: {e.Message}";
        }
    }

    private static (nint, string?) LoadOnce()
    {
        var (handle, loaded, problem) = Open(Candidates(Environment.GetEnvironmentVariable(PathVariable)), Environment.GetEnvironmentVariable(PathVariable));
        if (problem is not null) return (0, problem);
        try
        {
            MjApi.Bind(handle, loaded!);
        }
        catch (EntryPointNotFoundException e)
        {
            return (0, $"{loaded} is not a usable MuJoCo {FormatVersion(MjLayout.Version)} library: {e.Message}");
        }
        if (VersionProblem(MjApi.Version(), loaded!) is { } versionProblem) return (0, versionProblem);
        MjMessages.Install(handle);
        return (handle, null);
    }

    private static (nint Handle, string? Loaded, string? Problem) Open(IReadOnlyList<string> candidates, string? mujocoPath)
    {
        var reasons = new List<string>();
        foreach (var candidate in candidates)
        {
            try
            {
                return (NativeLibrary.Load(candidate), candidate, null);
            }
            catch (DllNotFoundException e)
            {
                // .NET's message is a paragraph of advice followed by the loader's own lines; the last line is the loader's reason.
                reasons.Add(e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]);
            }
            catch (BadImageFormatException e)
            {
                reasons.Add($"{candidate}: {e.Message}");
            }
        }
        string where = string.IsNullOrEmpty(mujocoPath) ? "the system library path" : $"{PathVariable}={mujocoPath}";
        string install = OperatingSystem.IsLinux() ? $"install it with `sudo apt-get install libmujoco{FormatVersion(MjLayout.Version)}` or set {PathVariable}"
            : $"set {PathVariable} to the folder holding it";
        return (0, null, $"the MuJoCo {FormatVersion(MjLayout.Version)} library ({string.Join(" or ", candidates.Select(Path.GetFileName))}) was not found in {where}; " +
                         $"{install}. ({string.Join("; ", reasons)})");
    }
}

/// <summary>MuJoCo cannot be used in this process: the library is missing, incomplete, or of another version.</summary>
public sealed class MuJoCoUnavailableException(string message) : Exception(message);

/// <summary>A MuJoCo call failed (a model that does not load, bad input to the engine); the message names the model file.</summary>
public sealed class MuJoCoException(string message) : Exception(message);
