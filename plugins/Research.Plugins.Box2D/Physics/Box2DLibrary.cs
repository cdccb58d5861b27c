using System.Reflection;
using System.Runtime.InteropServices;

namespace Research.Plugins.Box2D.Physics;

/// <summary>Finds and loads the native shim (<c>libresearch_box2d</c>, built next to this assembly) and says why when it cannot.</summary>
/// <remarks>The environment variable <c>RESEARCH_BOX2D_SHIM</c> names another shim file to load instead (a shim built by hand on
/// Windows or macOS, or one built against another Box2D).</remarks>
public static class Box2DLibrary
{
    /// <summary>The environment variable naming a shim file to load instead of the one beside the plugin.</summary>
    public const string PathVariable = "RESEARCH_BOX2D_SHIM";

    private static readonly Lazy<(int Version, string? Problem)> Probe = new(Load);

    /// <summary>True when the shim and Box2D itself load.</summary>
    public static bool IsAvailable => Probe.Value.Problem is null;

    /// <summary>Why the Box2D environments cannot run here (null when they can).</summary>
    public static string? UnavailableReason => Probe.Value.Problem;

    /// <summary>Box2D's version as major·100 + minor·10 + revision (241 for Debian's 2.4.1).</summary>
    public static int Version => Probe.Value.Problem is { } problem ? throw new Box2DUnavailableException(problem) : Probe.Value.Version;

    /// <summary>Throws <see cref="Box2DUnavailableException"/> with the reason and the fix when the shim cannot be loaded.</summary>
    public static void EnsureAvailable()
    {
        if (Probe.Value.Problem is { } problem) throw new Box2DUnavailableException(problem);
    }

    /// <summary>The shim's file name on this operating system.</summary>
    public static string FileName =>
        OperatingSystem.IsWindows() ? "research_box2d.dll" : OperatingSystem.IsMacOS() ? "libresearch_box2d.dylib" : "libresearch_box2d.so";

    private static (int, string?) Load()
    {
        var assembly = typeof(Box2DLibrary).Assembly;
        string folder = Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory;
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } overridden)
        {
            if (!File.Exists(overridden)) return (0, $"{PathVariable}={overridden} names no file");
            return LoadFrom(overridden, assembly);
        }
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            return (0, $"the native Box2D shim {FileName} is not next to {Path.GetFileName(assembly.Location)} in {folder}: it is compiled " +
                       "during the build when a C++ compiler and Box2D 2.4 are installed (Debian/Ubuntu: sudo apt-get install g++ libbox2d-dev, " +
                       "then rebuild; other systems: see README.md, section Box2D)");
        return LoadFrom(path, assembly);
    }

    private static (int, string?) LoadFrom(string path, Assembly assembly)
    {
        nint handle;
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return (0, $"the native Box2D shim {path} does not load ({e.Message}); Box2D 2.4's runtime library may be missing " +
                       "(Debian/Ubuntu: sudo apt-get install libbox2d2)");
        }
        if (!NativeLibrary.TryGetExport(handle, "rb2_version", out _))
            return (0, $"{path} is not the Box2D shim (it has no rb2_version); rebuild Research.Plugins.Box2D");
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, (name, _, _) => name == NativeMethods.Library ? handle : 0);
        }
        catch (InvalidOperationException)
        {
            // A resolver is already set (the assembly was loaded twice into one context); it resolves to the same file.
        }
        int version = NativeMethods.rb2_version();
        return version / 10 is 23 or 24
            ? (version, null)
            : (version, $"the native Box2D shim {path} was built against Box2D {version / 100}.{version / 10 % 10}.{version % 10}; expected 2.4 (or 2.3)");
    }
}

/// <summary>The native Box2D shim cannot be loaded; the message says why and how to fix it.</summary>
public sealed class Box2DUnavailableException(string reason)
    : InvalidOperationException($"Box2D environments are unavailable: {reason}.");

/// <summary>Box2D refused a call (an unknown body, a shape it cannot take, a non-finite value); the message names the call.</summary>
public sealed class Box2DException(string message) : InvalidOperationException(message);
