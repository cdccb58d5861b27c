using System.Runtime.InteropServices;

namespace Research.Rl.Seeding;

/// <summary>The C library's <c>log1p</c>, which NumPy calls through <c>npy_log1p</c>; .NET has no log1p of its own (<c>double.LogP1</c> is log(1 + x), which rounds differently).</summary>
internal static unsafe class CLibraryMath
{
    private static readonly delegate* unmanaged[Cdecl]<double, double> Log1PFunction = Resolve();

    /// <summary>log(1 + x), accurate for small x, bit for bit as the platform's C library computes it.</summary>
    public static double Log1P(double x) => Log1PFunction(x);

    private static delegate* unmanaged[Cdecl]<double, double> Resolve()
    {
        string library = OperatingSystem.IsWindows() ? "ucrtbase.dll"
            : OperatingSystem.IsMacOS() ? "/usr/lib/libSystem.B.dylib"
            : "libm.so.6";
        if (!NativeLibrary.TryLoad(library, out var handle) || !NativeLibrary.TryGetExport(handle, "log1p", out var function))
            throw new DllNotFoundException($"NumpyGenerator: the C library's log1p ({library}) could not be loaded; NumPy's normal draws need it.");
        return (delegate* unmanaged[Cdecl]<double, double>)function;
    }
}
