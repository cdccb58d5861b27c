namespace Research.Plugins.MuJoCo.Native;

/// <summary>The simulation state and everything MuJoCo computes from it (<c>mjData</c>) for one <see cref="MjModel"/>.</summary>
/// <remarks>
/// Arrays are spans over MuJoCo's own memory (pointers read once through <see cref="MjLayout.Data"/>), so reading an
/// observation or writing a control allocates nothing. Not thread-safe: one simulation per thread at a time.
/// </remarks>
public sealed unsafe class MjData : IDisposable
{
    private readonly MjDataHandle _handle;
    private readonly byte* _data;
    private readonly int _integrationStateSize;

    /// <summary>Makes the data of <paramref name="model"/> (<c>mj_makeData</c>), in the model's reference configuration.</summary>
    public MjData(MjModel model)
    {
        Model = model;
        nint data;
        using (new MjMessages.ModelScope(model.Path)) data = MjApi.MakeData(model.Pointer);
        if (data == 0) throw new MuJoCoException($"{model.Path}: MuJoCo could not allocate the simulation data (mj_makeData returned null).");
        _handle = new MjDataHandle(data);
        _data = (byte*)data;
        _integrationStateSize = 1 + model.Nq + model.Nv + model.Na + model.Nv + model.Nu + model.Nv + 6 * model.Nbody +
                                3 * model.Nmocap + 4 * model.Nmocap + model.Nuserdata;
    }

    /// <summary>The model this data belongs to.</summary>
    public MjModel Model { get; }

    /// <summary>Simulation time.</summary>
    public ref double Time => ref *(double*)(Checked() + MjLayout.Data.Time);

    /// <summary>Generalized positions (nq).</summary>
    public Span<double> Qpos => Array(MjLayout.Data.Qpos, Model.Nq);

    /// <summary>Generalized velocities (nv).</summary>
    public Span<double> Qvel => Array(MjLayout.Data.Qvel, Model.Nv);

    /// <summary>Actuator activations (na).</summary>
    public Span<double> Act => Array(MjLayout.Data.Act, Model.Na);

    /// <summary>The constraint solver's warm start (nv).</summary>
    public Span<double> QaccWarmstart => Array(MjLayout.Data.QaccWarmstart, Model.Nv);

    /// <summary>Controls (nu).</summary>
    public Span<double> Ctrl => Array(MjLayout.Data.Ctrl, Model.Nu);

    /// <summary>Applied generalized forces (nv).</summary>
    public Span<double> QfrcApplied => Array(MjLayout.Data.QfrcApplied, Model.Nv);

    /// <summary>Applied Cartesian forces and torques (nbody × 6).</summary>
    public Span<double> XfrcApplied => Array(MjLayout.Data.XfrcApplied, Model.Nbody * 6);

    /// <summary>Mocap body positions (nmocap × 3).</summary>
    public Span<double> MocapPos => Array(MjLayout.Data.MocapPos, Model.Nmocap * 3);

    /// <summary>Mocap body orientations (nmocap × 4).</summary>
    public Span<double> MocapQuat => Array(MjLayout.Data.MocapQuat, Model.Nmocap * 4);

    /// <summary>User data, untouched by the engine (nuserdata).</summary>
    public Span<double> Userdata => Array(MjLayout.Data.Userdata, Model.Nuserdata);

    /// <summary>Body frame positions (nbody × 3).</summary>
    public ReadOnlySpan<double> Xpos => Array(MjLayout.Data.Xpos, Model.Nbody * 3);

    /// <summary>Body centre-of-mass positions (nbody × 3).</summary>
    public ReadOnlySpan<double> Xipos => Array(MjLayout.Data.Xipos, Model.Nbody * 3);

    /// <summary>Geom positions (ngeom × 3).</summary>
    public ReadOnlySpan<double> GeomXpos => Array(MjLayout.Data.GeomXpos, Model.Ngeom * 3);

    /// <summary>Site positions (nsite × 3).</summary>
    public ReadOnlySpan<double> SiteXpos => Array(MjLayout.Data.SiteXpos, Model.Nsite * 3);

    /// <summary>Centre of mass of each subtree (nbody × 3).</summary>
    public ReadOnlySpan<double> SubtreeCom => Array(MjLayout.Data.SubtreeCom, Model.Nbody * 3);

    /// <summary>Com-based body inertia and mass (nbody × 10).</summary>
    public ReadOnlySpan<double> Cinert => Array(MjLayout.Data.Cinert, Model.Nbody * 10);

    /// <summary>Com-based body velocity (nbody × 6).</summary>
    public ReadOnlySpan<double> Cvel => Array(MjLayout.Data.Cvel, Model.Nbody * 6);

    /// <summary>Com-based external forces on each body (nbody × 6), computed by <see cref="RnePostConstraint"/>.</summary>
    public ReadOnlySpan<double> CfrcExt => Array(MjLayout.Data.CfrcExt, Model.Nbody * 6);

    /// <summary>Actuator forces in joint space (nv).</summary>
    public ReadOnlySpan<double> QfrcActuator => Array(MjLayout.Data.QfrcActuator, Model.Nv);

    /// <summary>Constraint forces in joint space (nv).</summary>
    public ReadOnlySpan<double> QfrcConstraint => Array(MjLayout.Data.QfrcConstraint, Model.Nv);

    /// <summary>How often MuJoCo raised warning <paramref name="warning"/> (<c>mjtWarning</c>) since the last reset.</summary>
    public int WarningCount(int warning)
    {
        if ((uint)warning >= MjLayout.Data.WarningCount)
            throw new ArgumentOutOfRangeException(nameof(warning), warning, $"MuJoCo has {MjLayout.Data.WarningCount} warning kinds.");
        return *(int*)(Checked() + MjLayout.Data.Warning + warning * MjLayout.Data.WarningStatSize + MjLayout.Data.WarningNumber);
    }

    /// <summary>Resets to the reference configuration, zero velocities and time (<c>mj_resetData</c>).</summary>
    public void Reset()
    {
        using var _ = new MjMessages.ModelScope(Model.Path);
        MjApi.ResetData(Model.Pointer, Pointer);
    }

    /// <summary>Advances the simulation by one time step (<c>mj_step</c>).</summary>
    public void Step()
    {
        using var _ = new MjMessages.ModelScope(Model.Path);
        MjApi.Step(Model.Pointer, Pointer);
    }

    /// <summary>Advances the simulation by <paramref name="count"/> time steps, as the Python bindings' <c>mj_step(m, d, nstep)</c>.</summary>
    public void Step(int count)
    {
        using var _ = new MjMessages.ModelScope(Model.Path);
        nint model = Model.Pointer, data = Pointer;
        for (int i = 0; i < count; i++) MjApi.Step(model, data);
    }

    /// <summary>Computes everything that depends on the state without integrating (<c>mj_forward</c>).</summary>
    public void Forward()
    {
        using var _ = new MjMessages.ModelScope(Model.Path);
        MjApi.Forward(Model.Pointer, Pointer);
    }

    /// <summary>Computes accelerations and constraint-dependent body forces, <see cref="CfrcExt"/> among them (<c>mj_rnePostConstraint</c>).</summary>
    public void RnePostConstraint()
    {
        using var _ = new MjMessages.ModelScope(Model.Path);
        MjApi.RnePostConstraint(Model.Pointer, Pointer);
    }

    /// <summary>Copies the whole of <paramref name="source"/> (same model) into this data (<c>mj_copyData</c>).</summary>
    public void CopyFrom(MjData source)
    {
        if (!ReferenceEquals(source.Model, Model))
            throw new ArgumentException($"{Model.Path}: mj_copyData needs data of the same model; the source belongs to {source.Model.Path}.", nameof(source));
        using var _ = new MjMessages.ModelScope(Model.Path);
        MjApi.CopyData(Pointer, Model.Pointer, source.Pointer);
    }

    /// <summary>Number of values in <see cref="CopyIntegrationState"/>: what MuJoCo needs to take the next step exactly.</summary>
    public int IntegrationStateSize => _integrationStateSize;

    /// <summary>Copies the integration state (time, qpos, qvel, act, warm start, ctrl, applied forces, mocap poses, user data; MuJoCo 3's <c>mjSTATE_INTEGRATION</c>).</summary>
    public void CopyIntegrationState(Span<double> destination)
    {
        if (destination.Length != _integrationStateSize)
            throw new ArgumentException($"{Model.Path}: the integration state has {_integrationStateSize} values, not {destination.Length}.", nameof(destination));
        destination[0] = Time;
        int at = 1;
        foreach (var part in IntegrationParts()) Append(part, destination, ref at);
    }

    /// <summary>Sets the integration state from values in <see cref="CopyIntegrationState"/>'s order.</summary>
    public void SetIntegrationState(ReadOnlySpan<double> source)
    {
        if (source.Length != _integrationStateSize)
            throw new ArgumentException($"{Model.Path}: the integration state has {_integrationStateSize} values, not {source.Length}.", nameof(source));
        Time = source[0];
        int at = 1;
        foreach (var part in IntegrationParts())
        {
            source.Slice(at, part.Length).CopyTo(part);
            at += part.Length;
        }
    }

    /// <summary>Frees the data.</summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>The <c>mjData*</c> for calls into MuJoCo.</summary>
    internal nint Pointer => (nint)Checked();

    private IntegrationPartEnumerable IntegrationParts() => new(this);

    private static void Append(Span<double> part, Span<double> destination, ref int at)
    {
        part.CopyTo(destination[at..]);
        at += part.Length;
    }

    private byte* Checked()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return _data;
    }

    private Span<double> Array(int pointerOffset, int length) => new(*(double**)(Checked() + pointerOffset), length);

    /// <summary>The integration state's arrays in order, without allocating.</summary>
    private readonly ref struct IntegrationPartEnumerable(MjData data)
    {
        public Enumerator GetEnumerator() => new(data);

        public ref struct Enumerator(MjData data)
        {
            private int _index = -1;

            public Span<double> Current => _index switch
            {
                0 => data.Qpos,
                1 => data.Qvel,
                2 => data.Act,
                3 => data.QaccWarmstart,
                4 => data.Ctrl,
                5 => data.QfrcApplied,
                6 => data.XfrcApplied,
                7 => data.MocapPos,
                8 => data.MocapQuat,
                _ => data.Userdata,
            };

            public bool MoveNext() => ++_index < 10;
        }
    }
}
