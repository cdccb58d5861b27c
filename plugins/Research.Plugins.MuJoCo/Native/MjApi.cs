using System.Runtime.InteropServices;

namespace Research.Plugins.MuJoCo.Native;

/// <summary>The MuJoCo C functions the plugin calls, as unmanaged function pointers bound once from the loaded library.</summary>
/// <remarks>Pointers rather than <c>[DllImport]</c>, so that the library is found by the rules of <see cref="MuJoCoLibrary"/> and a missing one is a reason, not a load failure of the plugin.</remarks>
internal static unsafe class MjApi
{
    public static delegate* unmanaged[Cdecl]<int> Version;
    public static delegate* unmanaged[Cdecl]<byte*, nint, byte*, int, nint> LoadXml;
    public static delegate* unmanaged[Cdecl]<nint, void> DeleteModel;
    public static delegate* unmanaged[Cdecl]<nint, nint> MakeData;
    public static delegate* unmanaged[Cdecl]<nint, void> DeleteData;
    public static delegate* unmanaged[Cdecl]<nint, nint, nint, nint> CopyData;
    public static delegate* unmanaged[Cdecl]<nint, nint, void> ResetData;
    public static delegate* unmanaged[Cdecl]<nint, nint, void> Step;
    public static delegate* unmanaged[Cdecl]<nint, nint, void> Forward;
    public static delegate* unmanaged[Cdecl]<nint, nint, void> RnePostConstraint;
    public static delegate* unmanaged[Cdecl]<nint, int, byte*, int> Name2Id;
    public static delegate* unmanaged[Cdecl]<byte*, void> Error;
    public static delegate* unmanaged[Cdecl]<byte*, void> Warning;

    public static delegate* unmanaged[Cdecl]<nint, void> DefaultCamera;
    public static delegate* unmanaged[Cdecl]<nint, void> DefaultOption;
    public static delegate* unmanaged[Cdecl]<nint, void> DefaultPerturb;
    public static delegate* unmanaged[Cdecl]<nint, void> DefaultScene;
    public static delegate* unmanaged[Cdecl]<nint, nint, int, void> MakeScene;
    public static delegate* unmanaged[Cdecl]<nint, void> FreeScene;
    public static delegate* unmanaged[Cdecl]<nint, nint, nint, nint, nint, int, nint, void> UpdateScene;
    public static delegate* unmanaged[Cdecl]<nint, void> DefaultContext;
    public static delegate* unmanaged[Cdecl]<nint, nint, int, void> MakeContext;
    public static delegate* unmanaged[Cdecl]<nint, void> FreeContext;
    public static delegate* unmanaged[Cdecl]<int, nint, void> SetBuffer;
    public static delegate* unmanaged[Cdecl]<MjrRect, nint, nint, void> Render;
    public static delegate* unmanaged[Cdecl]<byte*, float*, MjrRect, nint, void> ReadPixels;

    /// <summary>Binds every function from <paramref name="library"/>; a missing one throws <see cref="EntryPointNotFoundException"/> naming it.</summary>
    public static void Bind(nint library, string path)
    {
        Version = (delegate* unmanaged[Cdecl]<int>)Export(library, path, "mj_version");
        LoadXml = (delegate* unmanaged[Cdecl]<byte*, nint, byte*, int, nint>)Export(library, path, "mj_loadXML");
        DeleteModel = (delegate* unmanaged[Cdecl]<nint, void>)Export(library, path, "mj_deleteModel");
        MakeData = (delegate* unmanaged[Cdecl]<nint, nint>)Export(library, path, "mj_makeData");
        DeleteData = (delegate* unmanaged[Cdecl]<nint, void>)Export(library, path, "mj_deleteData");
        CopyData = (delegate* unmanaged[Cdecl]<nint, nint, nint, nint>)Export(library, path, "mj_copyData");
        ResetData = (delegate* unmanaged[Cdecl]<nint, nint, void>)Export(library, path, "mj_resetData");
        Step = (delegate* unmanaged[Cdecl]<nint, nint, void>)Export(library, path, "mj_step");
        Forward = (delegate* unmanaged[Cdecl]<nint, nint, void>)Export(library, path, "mj_forward");
        RnePostConstraint = (delegate* unmanaged[Cdecl]<nint, nint, void>)Export(library, path, "mj_rnePostConstraint");
        Name2Id = (delegate* unmanaged[Cdecl]<nint, int, byte*, int>)Export(library, path, "mj_name2id");
        Error = (delegate* unmanaged[Cdecl]<byte*, void>)Export(library, path, "mju_error");
        Warning = (delegate* unmanaged[Cdecl]<byte*, void>)Export(library, path, "mju_warning");
        DefaultCamera = (delegate* unmanaged[Cdecl]<nint, void>)Export(library, path, "mjv_defaultCamera");
        DefaultOption = (delegate* unmanaged[Cdecl]<nint, void>)Export(library, path, "mjv_defaultOption");
        DefaultPerturb = (delegate* unmanaged[Cdecl]<nint, void>)Export(library, path, "mjv_defaultPerturb");
        DefaultScene = (delegate* unmanaged[Cdecl]<nint, void>)Export(library, path, "mjv_defaultScene");
        MakeScene = (delegate* unmanaged[Cdecl]<nint, nint, int, void>)Export(library, path, "mjv_makeScene");
        FreeScene = (delegate* unmanaged[Cdecl]<nint, void>)Export(library, path, "mjv_freeScene");
        UpdateScene = (delegate* unmanaged[Cdecl]<nint, nint, nint, nint, nint, int, nint, void>)Export(library, path, "mjv_updateScene");
        DefaultContext = (delegate* unmanaged[Cdecl]<nint, void>)Export(library, path, "mjr_defaultContext");
        MakeContext = (delegate* unmanaged[Cdecl]<nint, nint, int, void>)Export(library, path, "mjr_makeContext");
        FreeContext = (delegate* unmanaged[Cdecl]<nint, void>)Export(library, path, "mjr_freeContext");
        SetBuffer = (delegate* unmanaged[Cdecl]<int, nint, void>)Export(library, path, "mjr_setBuffer");
        Render = (delegate* unmanaged[Cdecl]<MjrRect, nint, nint, void>)Export(library, path, "mjr_render");
        ReadPixels = (delegate* unmanaged[Cdecl]<byte*, float*, MjrRect, nint, void>)Export(library, path, "mjr_readPixels");
    }

    /// <summary>The address of an exported symbol (a function, or a variable such as <c>mju_user_error</c>).</summary>
    public static nint Export(nint library, string path, string name) =>
        NativeLibrary.TryGetExport(library, name, out var address) ? address
            : throw new EntryPointNotFoundException($"{path} does not export {name}");
}

/// <summary>MuJoCo's <c>mjrRect</c>: a viewport in pixels, passed by value.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct MjrRect(int Left, int Bottom, int Width, int Height);
