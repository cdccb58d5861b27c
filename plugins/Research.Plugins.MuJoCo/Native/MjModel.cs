using System.Text;

namespace Research.Plugins.MuJoCo.Native;

/// <summary>A compiled MuJoCo model (<c>mjModel</c>) loaded from an XML file: its sizes, options and the arrays the environments read.</summary>
/// <remarks>Arrays are read in place through the offsets of <see cref="MjLayout.Model"/>; nothing is copied.</remarks>
public sealed unsafe class MjModel : IDisposable
{
    private readonly MjModelHandle _handle;
    private readonly byte* _model;

    private MjModel(MjModelHandle handle, string path)
    {
        _handle = handle;
        _model = (byte*)handle.DangerousGetHandle();
        Path = path;
        FileName = System.IO.Path.GetFileName(path);
        Nq = Int(MjLayout.Model.Nq);
        Nv = Int(MjLayout.Model.Nv);
        Nu = Int(MjLayout.Model.Nu);
        Na = Int(MjLayout.Model.Na);
        Nbody = Int(MjLayout.Model.Nbody);
        Ngeom = Int(MjLayout.Model.Ngeom);
        Nsite = Int(MjLayout.Model.Nsite);
        Ncam = Int(MjLayout.Model.Ncam);
        Nmocap = Int(MjLayout.Model.Nmocap);
        Nuserdata = Int(MjLayout.Model.Nuserdata);
    }

    /// <summary>Loads and compiles a model file; a missing file or a model MuJoCo rejects throws, naming the file and MuJoCo's reason.</summary>
    public static MjModel Load(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        _ = MuJoCoLibrary.Handle;
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"MuJoCo model file {fullPath} does not exist.", fullPath);
        const int errorSize = 1000;
        byte* error = stackalloc byte[errorSize];
        error[0] = 0;
        nint model;
        using (new MjMessages.ModelScope(fullPath))
        fixed (byte* file = Encoding.UTF8.GetBytes(fullPath + "\0"))
            model = MjApi.LoadXml(file, 0, error, errorSize);
        if (model == 0)
        {
            var reason = (System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)error) ?? "").Trim();
            throw new MuJoCoException($"{fullPath}: MuJoCo could not load the model: {(reason.Length > 0 ? reason : "no reason given")}");
        }
        return new MjModel(new MjModelHandle(model), fullPath);
    }

    /// <summary>The full path of the model file.</summary>
    public string Path { get; }

    /// <summary>The model file's name (for messages).</summary>
    public string FileName { get; }

    /// <summary>Number of generalized coordinates.</summary>
    public int Nq { get; }

    /// <summary>Number of degrees of freedom.</summary>
    public int Nv { get; }

    /// <summary>Number of actuators (controls).</summary>
    public int Nu { get; }

    /// <summary>Number of activation states.</summary>
    public int Na { get; }

    /// <summary>Number of bodies, the world body included.</summary>
    public int Nbody { get; }

    /// <summary>Number of geoms.</summary>
    public int Ngeom { get; }

    /// <summary>Number of sites.</summary>
    public int Nsite { get; }

    /// <summary>Number of cameras.</summary>
    public int Ncam { get; }

    /// <summary>Number of mocap bodies.</summary>
    public int Nmocap { get; }

    /// <summary>Number of user data values in mjData.</summary>
    public int Nuserdata { get; }

    /// <summary>The simulation time step (<c>opt.timestep</c>).</summary>
    public double Timestep => *(double*)Field(MjLayout.Model.Timestep);

    /// <summary>The model's spatial extent (<c>stat.extent</c>), the free camera's default distance.</summary>
    public double Extent => *(double*)Field(MjLayout.Model.Extent);

    /// <summary>Width of the offscreen buffer a rendering context makes (<c>vis.global.offwidth</c>).</summary>
    public int OffscreenWidth
    {
        get => Int(MjLayout.Model.OffWidth);
        set => *(int*)Field(MjLayout.Model.OffWidth) = value;
    }

    /// <summary>Height of the offscreen buffer (<c>vis.global.offheight</c>).</summary>
    public int OffscreenHeight
    {
        get => Int(MjLayout.Model.OffHeight);
        set => *(int*)Field(MjLayout.Model.OffHeight) = value;
    }

    /// <summary>The reference configuration (<c>qpos0</c>, nq).</summary>
    public ReadOnlySpan<double> Qpos0 => Array(MjLayout.Model.Qpos0, Nq);

    /// <summary>Body masses (nbody).</summary>
    public ReadOnlySpan<double> BodyMass => Array(MjLayout.Model.BodyMass, Nbody);

    /// <summary>Control ranges, (low, high) per actuator (nu × 2).</summary>
    public ReadOnlySpan<double> ActuatorCtrlRange => Array(MjLayout.Model.ActuatorCtrlRange, Nu * 2);

    /// <summary>Whether each actuator's control is clamped to its range (nu).</summary>
    public ReadOnlySpan<byte> ActuatorCtrlLimited => new(*(byte**)Field(MjLayout.Model.ActuatorCtrlLimited), Nu);

    /// <summary>The id of the named object, or −1 when the model has none by that name (<c>mj_name2id</c>).</summary>
    public int IdOf(MjObject type, string name)
    {
        ThrowIfDisposed();
        fixed (byte* text = Encoding.UTF8.GetBytes(name + "\0"))
            return MjApi.Name2Id((nint)_model, (int)type, text);
    }

    /// <summary>The id of the named object; throws naming the model file when there is none.</summary>
    public int RequireId(MjObject type, string name)
    {
        int id = IdOf(type, name);
        return id >= 0 ? id : throw new MuJoCoException($"{Path}: the model has no {type.ToString().ToLowerInvariant()} named '{name}'.");
    }

    /// <summary>The <c>mjModel*</c> for calls into MuJoCo.</summary>
    internal nint Pointer
    {
        get
        {
            ThrowIfDisposed();
            return (nint)_model;
        }
    }

    /// <summary>Frees the model.</summary>
    public void Dispose() => _handle.Dispose();

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_handle.IsClosed, this);

    private byte* Field(int offset)
    {
        ThrowIfDisposed();
        return _model + offset;
    }

    private int Int(int offset) => *(int*)Field(offset);

    private ReadOnlySpan<double> Array(int pointerOffset, int length) => new(*(double**)Field(pointerOffset), length);
}

/// <summary>MuJoCo object types (<c>mjtObj</c>) the environments look up by name.</summary>
public enum MjObject
{
    /// <summary>A body.</summary>
    Body = MjLayout.Enums.ObjBody,

    /// <summary>A site.</summary>
    Site = MjLayout.Enums.ObjSite,

    /// <summary>A camera.</summary>
    Camera = MjLayout.Enums.ObjCamera,
}
