using System.Runtime.InteropServices;

namespace Research.Plugins.MuJoCo.Rendering;

/// <summary>An OpenGL context with no window and no surface (EGL's Mesa surfaceless platform), where MuJoCo renders into its own offscreen buffer.</summary>
/// <remarks>
/// The surfaceless platform is asked for explicitly (<c>eglGetPlatformDisplayEXT</c>), so no display server and no
/// <c>EGL_PLATFORM</c> variable are needed. The context is current only while a frame is drawn, so any thread may render.
/// The display is shared by every context in the process and is never terminated.
/// </remarks>
internal sealed unsafe class EglContext : IDisposable
{
    private const int PlatformSurfacelessMesa = 0x31DD, Extensions = 0x3055, OpenGlApi = 0x30A2, None = 0x3038;
    private const int GlVersion = 0x1F02, GlRenderer = 0x1F01;

    private static readonly Lazy<(Egl? Api, string? Problem)> Library = new(Egl.Load);

    private readonly Egl _egl;
    private readonly nint _display, _context;
    private bool _disposed;

    private EglContext(Egl egl, nint display, nint context, string renderer)
    {
        _egl = egl;
        _display = display;
        _context = context;
        Renderer = renderer;
    }

    /// <summary>The OpenGL renderer string (for example "llvmpipe (LLVM 15.0.6, 256 bits)").</summary>
    public string Renderer { get; }

    /// <summary>Creates a context; throws <see cref="RenderingUnavailableException"/> saying what is missing when OpenGL cannot be had.</summary>
    public static EglContext Create()
    {
        var (egl, problem) = Library.Value;
        if (egl is null) throw new RenderingUnavailableException(problem!);
        string clientExtensions = Marshal.PtrToStringUTF8(egl.QueryString(0, Extensions)) ?? "";
        if (!clientExtensions.Contains("EGL_MESA_platform_surfaceless", StringComparison.Ordinal) || egl.GetPlatformDisplay is null)
            throw new RenderingUnavailableException($"EGL has no Mesa surfaceless platform (client extensions: {clientExtensions}); install Mesa's EGL (libegl-mesa0 libgl1-mesa-dri).");
        nint display = egl.GetPlatformDisplay(PlatformSurfacelessMesa, 0, null);
        int major, minor;
        if (display == 0 || egl.Initialize(display, &major, &minor) == 0)
            throw new RenderingUnavailableException($"EGL could not initialise the surfaceless display (error 0x{egl.GetError():X}); is libgl1-mesa-dri installed?");
        if (egl.BindApi(OpenGlApi) == 0)
            throw new RenderingUnavailableException($"EGL {major}.{minor} cannot bind desktop OpenGL (error 0x{egl.GetError():X}).");
        nint config = ChooseConfig(egl, display);
        int* noAttributes = stackalloc int[] { None };
        nint context = egl.CreateContext(display, config, 0, noAttributes);
        if (context == 0) throw new RenderingUnavailableException($"EGL could not create an OpenGL context (error 0x{egl.GetError():X}).");
        if (egl.MakeCurrent(display, 0, 0, context) == 0)
        {
            int error = egl.GetError();
            egl.DestroyContext(display, context);
            throw new RenderingUnavailableException($"EGL could not make a surfaceless OpenGL context current (error 0x{error:X}).");
        }
        try
        {
            var getString = (delegate* unmanaged[Cdecl]<int, nint>)egl.GetProcAddress("glGetString");
            string version = getString is null ? "" : Marshal.PtrToStringUTF8(getString(GlVersion)) ?? "";
            string renderer = getString is null ? "" : Marshal.PtrToStringUTF8(getString(GlRenderer)) ?? "";
            // MuJoCo's own checks end the process (mju_error) when OpenGL is too old, so refuse here with an exception instead.
            if (!SupportsMuJoCo(version))
                throw new RenderingUnavailableException($"MuJoCo needs OpenGL 1.5 or later; the context reports '{version}' ({renderer}).");
            return new EglContext(egl, display, context, renderer);
        }
        catch
        {
            egl.MakeCurrent(display, 0, 0, 0);
            egl.DestroyContext(display, context);
            throw;
        }
        finally
        {
            egl.MakeCurrent(display, 0, 0, 0);
        }
    }

    /// <summary>Makes the context current on the calling thread, until <see cref="Release"/>.</summary>
    public void MakeCurrent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_egl.MakeCurrent(_display, 0, 0, _context) == 0)
            throw new InvalidOperationException($"EGL could not make the rendering context current (error 0x{_egl.GetError():X}); is it current on another thread?");
    }

    /// <summary>Releases the context from the calling thread.</summary>
    public void Release() => _egl.MakeCurrent(_display, 0, 0, 0);

    /// <summary>Destroys the context.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _egl.DestroyContext(_display, _context);
    }

    /// <summary>Whether a <c>GL_VERSION</c> string names OpenGL 1.5 or later.</summary>
    internal static bool SupportsMuJoCo(string version)
    {
        var parts = version.Split(' ')[0].Split('.');
        return parts.Length >= 2 && int.TryParse(parts[0], out int major) && int.TryParse(parts[1], out int minor) && (major > 1 || (major == 1 && minor >= 5));
    }

    private static nint ChooseConfig(Egl egl, nint display)
    {
        // 8-bit RGBA with depth and stencil for desktop OpenGL, as MuJoCo's own EGL context asks. The surface type must be
        // named: its default is a window, which the surfaceless platform has none of (its configs are pbuffer-only).
        int* attributes = stackalloc int[]
        {
            0x3024, 8, 0x3023, 8, 0x3022, 8, 0x3021, 8, 0x3025, 24, 0x3026, 8, 0x3040, 0x0008, 0x3033, 0x0001, None,
        };
        nint config;
        int count;
        if (egl.ChooseConfig(display, attributes, &config, 1, &count) == 0 || count < 1)
            throw new RenderingUnavailableException($"EGL has no 8-bit RGBA configuration with depth and stencil for OpenGL (error 0x{egl.GetError():X}).");
        return config;
    }

    /// <summary>The EGL entry points, from libEGL.so.1 (or libEGL.dll / libEGL.dylib elsewhere).</summary>
    private sealed class Egl
    {
        public delegate* unmanaged[Cdecl]<nint, int, nint> QueryString;
        public delegate* unmanaged[Cdecl]<int, nint, nint*, nint> GetPlatformDisplay;
        public delegate* unmanaged[Cdecl]<nint, int*, int*, int> Initialize;
        public delegate* unmanaged[Cdecl]<int, int> BindApi;
        public delegate* unmanaged[Cdecl]<nint, int*, nint*, int, int*, int> ChooseConfig;
        public delegate* unmanaged[Cdecl]<nint, nint, nint, int*, nint> CreateContext;
        public delegate* unmanaged[Cdecl]<nint, nint, nint, nint, int> MakeCurrent;
        public delegate* unmanaged[Cdecl]<nint, nint, int> DestroyContext;
        public delegate* unmanaged[Cdecl]<int> GetError;
        private delegate* unmanaged[Cdecl]<byte*, nint> _getProcAddress;

        public nint GetProcAddress(string name)
        {
            fixed (byte* text = System.Text.Encoding.ASCII.GetBytes(name + "\0")) return _getProcAddress(text);
        }

        public static (Egl?, string?) Load()
        {
            string name = OperatingSystem.IsWindows() ? "libEGL.dll" : OperatingSystem.IsMacOS() ? "libEGL.dylib" : "libEGL.so.1";
            if (!NativeLibrary.TryLoad(name, out var library))
                return (null, $"offscreen rendering needs EGL, and {name} could not be loaded; install libegl1 libegl-mesa0 libgl1-mesa-dri (Debian) or your platform's EGL.");
            try
            {
                var egl = new Egl
                {
                    QueryString = (delegate* unmanaged[Cdecl]<nint, int, nint>)Export(library, "eglQueryString"),
                    Initialize = (delegate* unmanaged[Cdecl]<nint, int*, int*, int>)Export(library, "eglInitialize"),
                    BindApi = (delegate* unmanaged[Cdecl]<int, int>)Export(library, "eglBindAPI"),
                    ChooseConfig = (delegate* unmanaged[Cdecl]<nint, int*, nint*, int, int*, int>)Export(library, "eglChooseConfig"),
                    CreateContext = (delegate* unmanaged[Cdecl]<nint, nint, nint, int*, nint>)Export(library, "eglCreateContext"),
                    MakeCurrent = (delegate* unmanaged[Cdecl]<nint, nint, nint, nint, int>)Export(library, "eglMakeCurrent"),
                    DestroyContext = (delegate* unmanaged[Cdecl]<nint, nint, int>)Export(library, "eglDestroyContext"),
                    GetError = (delegate* unmanaged[Cdecl]<int>)Export(library, "eglGetError"),
                    _getProcAddress = (delegate* unmanaged[Cdecl]<byte*, nint>)Export(library, "eglGetProcAddress"),
                };
                egl.GetPlatformDisplay = (delegate* unmanaged[Cdecl]<int, nint, nint*, nint>)egl.GetProcAddress("eglGetPlatformDisplayEXT");
                return (egl, null);
            }
            catch (EntryPointNotFoundException e)
            {
                return (null, $"{name} is not a usable EGL library: {e.Message}");
            }
        }

        private static nint Export(nint library, string name) =>
            NativeLibrary.TryGetExport(library, name, out var address) ? address : throw new EntryPointNotFoundException($"it does not export {name}");
    }
}

/// <summary>Frames cannot be rendered here (no EGL or OpenGL); everything else about the environment works.</summary>
public sealed class RenderingUnavailableException(string message) : Exception(message);
