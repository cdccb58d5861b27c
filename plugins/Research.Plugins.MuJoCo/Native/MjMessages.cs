using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Research.Plugins.MuJoCo.Native;

/// <summary>MuJoCo's error and warning callbacks (<c>mju_user_error</c>, <c>mju_user_warning</c>), reported with the model file being simulated on the calling thread.</summary>
/// <remarks>
/// Without handlers MuJoCo 2.2.2 writes MUJOCO_LOG.TXT into the working directory, and on an error waits for a key on
/// stdin and exits. Errors that bad input can cause (a model that does not load, wrong sizes or names) are caught
/// before or by the call and thrown as <see cref="MuJoCoException"/>s naming the file. What remains reaches the error
/// callback: MuJoCo's runtime errors (its own stack or memory exhausted), after which the C code continues into
/// undefined behaviour if the callback returns, and no .NET exception can unwind native frames. So the callback ends
/// the process with one message naming the model file, as .NET ends it on a stack overflow.
/// </remarks>
internal static unsafe class MjMessages
{
    [ThreadStatic] private static string? t_model;

    /// <summary>Ends the process; tests substitute a recorder (calling <c>mju_error</c> directly returns safely when the handler returns).</summary>
    internal static Action<string> Fatal = message => Environment.FailFast(message);

    /// <summary>Where warnings go (standard error by default).</summary>
    internal static Action<string> Report = message => Console.Error.WriteLine(message);

    /// <summary>The model file simulated on this thread, named by the messages.</summary>
    public static string? CurrentModel
    {
        get => t_model;
        set => t_model = value;
    }

    /// <summary>Points MuJoCo's global handler variables at the callbacks below.</summary>
    public static void Install(nint library)
    {
        *(nint*)MjApi.Export(library, "MuJoCo", "mju_user_error") = (nint)(delegate* unmanaged[Cdecl]<byte*, void>)&OnError;
        *(nint*)MjApi.Export(library, "MuJoCo", "mju_user_warning") = (nint)(delegate* unmanaged[Cdecl]<byte*, void>)&OnWarning;
    }

    /// <summary>The text of an error message as the callback reports it.</summary>
    public static string ErrorText(string? model, string message) =>
        $"MuJoCo error{Where(model)}: {message}. MuJoCo cannot continue after a runtime error (its C API never returns from one), so the process ends.";

    /// <summary>The text of a warning as the callback reports it.</summary>
    public static string WarningText(string? model, string message) => $"warning: MuJoCo{Where(model)}: {message}";

    private static string Where(string? model) => model is null ? "" : $" ({model})";

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(byte* message) => Fatal(ErrorText(t_model, Marshal.PtrToStringUTF8((nint)message) ?? ""));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnWarning(byte* message)
    {
        // An exception must not reach the native caller: it would end the process.
        try
        {
            Report(WarningText(t_model, Marshal.PtrToStringUTF8((nint)message) ?? ""));
        }
        catch (Exception)
        {
        }
    }

    /// <summary>Names a model file in MuJoCo's messages on this thread for the duration of a call.</summary>
    internal readonly ref struct ModelScope
    {
        private readonly string? _previous;

        public ModelScope(string model)
        {
            _previous = t_model;
            t_model = model;
        }

        public void Dispose() => t_model = _previous;
    }
}
