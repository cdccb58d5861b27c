using Microsoft.Win32.SafeHandles;

namespace Research.Plugins.MuJoCo.Native;

/// <summary>An <c>mjModel*</c>, freed with <c>mj_deleteModel</c>.</summary>
internal sealed unsafe class MjModelHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public MjModelHandle(nint pointer) : this() => SetHandle(pointer);

    protected override bool ReleaseHandle()
    {
        MjApi.DeleteModel(handle);
        return true;
    }
}

/// <summary>An <c>mjData*</c>, freed with <c>mj_deleteData</c>.</summary>
internal sealed unsafe class MjDataHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public MjDataHandle(nint pointer) : this() => SetHandle(pointer);

    protected override bool ReleaseHandle()
    {
        MjApi.DeleteData(handle);
        return true;
    }
}
