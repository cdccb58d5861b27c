using System.Diagnostics.CodeAnalysis;
using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Plugins.MuJoCo.Native;
using Research.Plugins.MuJoCo.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.MuJoCo;

/// <summary>Gymnasium's <c>MujocoEnv</c> (v4 environments): a model file simulated with frame skip, NumPy-seeded resets, the episode life cycle, state saving and offscreen rendering.</summary>
/// <remarks>
/// <para>Port of <c>gymnasium/envs/mujoco/mujoco_env.py</c> 0.29.1 with the <c>mujoco</c> bindings: <c>reset</c> calls
/// <c>mj_resetData</c> then the subclass's <c>reset_model</c>, whose <see cref="SetState"/> writes qpos/qvel and calls
/// <c>mj_forward</c>; <see cref="DoSimulation"/> writes the action into <c>ctrl</c> unclipped (MuJoCo clamps limited
/// controls itself), takes <c>frame_skip</c> <c>mj_step</c>s and then <c>mj_rnePostConstraint</c>, so that
/// <c>cfrc_ext</c> is current. Seeding is NumPy's <c>default_rng(seed)</c> as in Gymnasium.</para>
/// <para>Departures: stepping before reset or after termination, and NaN/±∞ or wrongly sized actions, throw (Gymnasium warns or
/// lets MuJoCo reset on the resulting instability).</para>
/// <para>State (<see cref="IStateful"/>): after a step, MuJoCo's derived arrays (body positions, inertias, forces) describe
/// the state before the last substep, and the rewards of Ant, Humanoid, Reacher and Pusher read them before the next
/// step; and MuJoCo 2.2.2's <c>mj_forward</c> overwrites the solver's warm start. So the saved state is the integration
/// state from before the last MuJoCo call that computed those arrays (set_state's <c>mj_forward</c>, or the last substep),
/// and the current one to check against: restoring resets the data, sets that state and repeats the call, which
/// reproduces every array bit for bit.</para>
/// </remarks>
public abstract class MuJoCoEnv : IEnv, IStateful
{
    private enum Phase : byte { NotReset, Running, Terminated }

    // How MuJoCo's derived arrays were last computed: not at all, by set_state's mj_forward, or by a step.
    private enum Derivation : byte { None, Forward, Step }

    private readonly int _observationSize;
    private readonly double[] _beforeDerivation, _current;
    private readonly double[] _resetQpos, _resetQvel;
    private readonly int _cameraId;
    private readonly CameraDefaults _cameraDefaults;
    private MuJoCoRenderer? _renderer;
    private NumpyGenerator? _random;
    private Phase _phase;
    private Derivation _derivation;
    private bool _afterReset;
    private bool _disposed;

    /// <summary>Loads <paramref name="modelFile"/> (a name in the plugin's assets folder, or a path as Gymnasium resolves it) and sets up the spaces.</summary>
    protected MuJoCoEnv(string id, string modelFile, int frameSkip, MuJoCoEnvOptions options, CameraDefaults cameraDefaults, Func<MjModel, int> observationSize)
    {
        Id = id;
        ValidateRenderOptions(id, options);
        FrameSkip = frameSkip;
        Model = MjModel.Load(ResolveModelPath(modelFile));
        try
        {
            // Gymnasium sets vis.global.offwidth/offheight before making the data, so the rendering context gets this size.
            Model.OffscreenWidth = options.Width;
            Model.OffscreenHeight = options.Height;
            Data = new MjData(Model);
            InitQpos = Data.Qpos.ToArray();
            InitQvel = Data.Qvel.ToArray();
            Dt = Model.Timestep * frameSkip;
            ActionSpace = ActionBox(Model);
            _observationSize = observationSize(Model);
            ObservationSpace = new Box(float.NegativeInfinity, float.PositiveInfinity, [_observationSize], "float64");
            _beforeDerivation = new double[Data.IntegrationStateSize];
            _resetQpos = new double[Model.Nq];
            _resetQvel = new double[Model.Nv];
            _current = new double[Data.IntegrationStateSize];
            _cameraId = ResolveCamera(options);
            _cameraDefaults = cameraDefaults;
        }
        catch
        {
            Data?.Dispose();
            Model.Dispose();
            throw;
        }
    }

    /// <summary>The Gymnasium id, used in error messages.</summary>
    public string Id { get; }

    /// <summary>The compiled model.</summary>
    public MjModel Model { get; }

    /// <summary>The simulation data (Gymnasium's <c>env.unwrapped.data</c>).</summary>
    public MjData Data { get; }

    /// <summary>MuJoCo steps per environment step.</summary>
    public int FrameSkip { get; }

    /// <summary>Seconds per environment step: <c>opt.timestep × frame_skip</c>.</summary>
    public double Dt { get; }

    /// <summary>qpos right after the model was made (Gymnasium's <c>init_qpos</c>).</summary>
    protected double[] InitQpos { get; }

    /// <summary>qvel right after the model was made (<c>init_qvel</c>).</summary>
    protected double[] InitQvel { get; }

    public Space ObservationSpace { get; }
    public Space ActionSpace { get; }

    /// <summary>Empty after a reset (as Gymnasium's v4 reset info), then the last step's values.</summary>
    public IReadOnlyDictionary<string, object> Info => _afterReset || StepInformation is null ? EmptyInfo.Instance : StepInformation;

    /// <summary>The per-step info this environment reports; null for none.</summary>
    protected virtual StepInfo? StepInformation => null;

    /// <summary>Gymnasium's <c>state_vector()</c>: qpos then qvel.</summary>
    public double[] StateVector() => [.. Data.Qpos, .. Data.Qvel];

    public void Reset(Span<float> observation, int? seed = null)
    {
        ThrowIfDisposed();
        CheckObservationBuffer(observation);
        if (seed is { } s)
        {
            if (s < 0) throw new ArgumentOutOfRangeException(nameof(seed), s, $"{Id}: seed {s} is negative; expected a non-negative integer (as NumPy's SeedSequence).");
            _random = NumpyGenerator.FromSeed(s);
        }
        _random ??= NumpyGenerator.FromEntropy();
        Data.Reset();
        ResetModel(_random);
        _phase = Phase.Running;
        _afterReset = true;
        WriteObservation(observation);
    }

    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (_phase != Phase.Running) ThrowNotRunning();
        if (observation.Length != _observationSize) CheckObservationBuffer(observation);
        CheckAction(action);
        double reward = Advance(action, observation, out bool terminated);
        _afterReset = false;
        if (terminated) _phase = Phase.Terminated;
        return new StepOutcome(reward, terminated, false);
    }

    /// <summary>Draws the current state with MuJoCo's renderer on a surfaceless EGL context; throws <see cref="RenderingUnavailableException"/> where OpenGL is missing.</summary>
    public RgbFrame Render()
    {
        ThrowIfDisposed();
        if (_phase == Phase.NotReset) throw new InvalidOperationException($"{Id}: Render called before Reset; there is no state to draw yet.");
        _renderer ??= new MuJoCoRenderer(Data, _cameraId, _cameraDefaults);
        return _renderer.Render();
    }

    public void WriteState(BinaryWriter writer)
    {
        ThrowIfDisposed();
        writer.Write(Id);
        writer.Write(Model.FileName);
        writer.Write(Data.IntegrationStateSize);
        writer.Write((byte)_phase);
        writer.Write(_afterReset);
        writer.Write(_random is not null);
        _random?.WriteState(writer);
        writer.Write((byte)_derivation);
        if (_derivation != Derivation.None)
        {
            Data.CopyIntegrationState(_current);
            foreach (double value in _current) writer.Write(value);
            foreach (double value in _beforeDerivation) writer.Write(value);
        }
        var info = StepInformation;
        writer.Write(info?.Count ?? 0);
        if (info is not null)
            foreach (var (_, value) in info) writer.Write((double)value);
    }

    public void ReadState(BinaryReader reader)
    {
        ThrowIfDisposed();
        string id = reader.ReadString();
        if (id != Id) throw new InvalidDataException($"{Id}: the saved state belongs to '{id}', not to this environment.");
        string model = reader.ReadString();
        int size = reader.ReadInt32();
        if (model != Model.FileName || size != Data.IntegrationStateSize)
            throw new InvalidDataException($"{Id}: the saved state is of model {model} ({size} state values); this environment simulates {Model.FileName} ({Data.IntegrationStateSize}).");
        byte phase = reader.ReadByte();
        if (phase > (byte)Phase.Terminated) throw new InvalidDataException($"{Id}: saved episode phase {phase} is not one of 0 (not reset), 1 (running), 2 (terminated).");
        bool afterReset = reader.ReadBoolean();
        NumpyGenerator? random = null;
        if (reader.ReadBoolean())
        {
            random = NumpyGenerator.FromSeed(0);
            random.ReadState(reader);
        }
        byte derivation = reader.ReadByte();
        if (derivation > (byte)Derivation.Step) throw new InvalidDataException($"{Id}: saved simulation kind {derivation} is not one of 0, 1, 2.");
        var current = new double[size];
        var before = new double[size];
        if (derivation != (byte)Derivation.None)
        {
            ReadValues(reader, current);
            ReadValues(reader, before);
        }
        var info = new double[reader.ReadInt32()];
        ReadValues(reader, info);
        var stepInfo = StepInformation;
        if (info.Length != (stepInfo?.Count ?? 0))
            throw new InvalidDataException($"{Id}: the saved state has {info.Length} info values; this environment reports {stepInfo?.Count ?? 0}.");

        Data.Reset();
        if (derivation != (byte)Derivation.None)
        {
            Data.SetIntegrationState(before);
            if (derivation == (byte)Derivation.Forward) Data.Forward();
            else
            {
                Data.Step();
                Data.RnePostConstraint();
            }
            Data.CopyIntegrationState(_current);
            if (!_current.AsSpan().SequenceEqual(current))
                throw new InvalidDataException($"{Id}: repeating the last MuJoCo call of the saved state did not reproduce it; the state was saved by another MuJoCo build or model.");
            before.CopyTo(_beforeDerivation, 0);
        }
        for (int i = 0; i < info.Length; i++) stepInfo!.Set(i, info[i]);
        _derivation = (Derivation)derivation;
        _phase = (Phase)phase;
        _afterReset = afterReset;
        _random = random;
    }

    /// <summary>Frees the renderer, the data and the model.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _renderer?.Dispose();
        Data.Dispose();
        Model.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Draws the initial state from <paramref name="random"/> and sets it with <see cref="SetState"/> (Gymnasium's <c>reset_model</c>).</summary>
    protected abstract void ResetModel(NumpyGenerator random);

    /// <summary>Writes the observation of the current state (<c>_get_obs</c>).</summary>
    protected abstract void WriteObservation(Span<float> observation);

    /// <summary>Simulates the (checked) action with <see cref="DoSimulation"/>, writes the observation, fills the info; returns the reward.</summary>
    protected abstract double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated);

    /// <summary>Gymnasium's <c>set_state</c>: writes qpos and qvel, then <c>mj_forward</c>.</summary>
    protected void SetState(ReadOnlySpan<double> qpos, ReadOnlySpan<double> qvel)
    {
        qpos.CopyTo(Data.Qpos);
        qvel.CopyTo(Data.Qvel);
        Data.CopyIntegrationState(_beforeDerivation);
        Data.Forward();
        _derivation = Derivation.Forward;
    }

    /// <summary>Gymnasium's <c>do_simulation</c>: the action into <c>ctrl</c>, <see cref="FrameSkip"/> MuJoCo steps, then <c>mj_rnePostConstraint</c>.</summary>
    protected void DoSimulation(ReadOnlySpan<float> action)
    {
        var ctrl = Data.Ctrl;
        for (int i = 0; i < ctrl.Length; i++) ctrl[i] = action[i];
        if (FrameSkip > 1) Data.Step(FrameSkip - 1);
        Data.CopyIntegrationState(_beforeDerivation);
        Data.Step();
        Data.RnePostConstraint();
        _derivation = Derivation.Step;
    }

    /// <summary>The most common <c>reset_model</c>: init_qpos + U(−q, q) and init_qvel + U(−v, v), drawn in that order, then <see cref="SetState"/>.</summary>
    protected void ResetUniform(NumpyGenerator random, double qposScale, double qvelScale)
    {
        DrawAround(random, InitQpos, qposScale, _resetQpos);
        DrawAround(random, InitQvel, qvelScale, _resetQvel);
        SetState(_resetQpos, _resetQvel);
    }

    /// <summary>HalfCheetah's, Ant's and InvertedDoublePendulum's <c>reset_model</c>: init_qpos + U(−q, q), then init_qvel + v·N(0, 1), then <see cref="SetState"/>.</summary>
    protected void ResetUniformThenNormal(NumpyGenerator random, double qposScale, double qvelScale)
    {
        DrawAround(random, InitQpos, qposScale, _resetQpos);
        random.StandardNormal(_resetQvel);
        for (int i = 0; i < _resetQvel.Length; i++) _resetQvel[i] = InitQvel[i] + qvelScale * _resetQvel[i];
        SetState(_resetQpos, _resetQvel);
    }

    /// <summary>Writes <c>init + np_random.uniform(−scale, scale, size)</c> into <paramref name="destination"/>.</summary>
    protected static void DrawAround(NumpyGenerator random, ReadOnlySpan<double> init, double scale, Span<double> destination)
    {
        random.Uniform(-scale, scale, destination);
        for (int i = 0; i < destination.Length; i++) destination[i] = init[i] + destination[i];
    }

    /// <summary>Gymnasium's <c>healthy_reward</c>: the weight when healthy or when unhealthy states end the episode, else 0.</summary>
    protected static double HealthyReward(bool healthy, bool terminateWhenUnhealthy, double weight) => (healthy || terminateWhenUnhealthy ? 1.0 : 0.0) * weight;

    /// <summary>Sets the six motion keys Ant, Humanoid and Swimmer end their info with, from <paramref name="at"/>:
    /// x_position, y_position, distance_from_origin, x_velocity, y_velocity, forward_reward.</summary>
    protected static void SetMotion(StepInfo info, int at, double x, double y, double xVelocity, double yVelocity, double forwardReward)
    {
        info.Set(at, x);
        info.Set(at + 1, y);
        info.Set(at + 2, NumpyArithmetic.Norm([x, y]));
        info.Set(at + 3, xVelocity);
        info.Set(at + 4, yVelocity);
        info.Set(at + 5, forwardReward);
    }

    /// <summary>Gymnasium's <c>control_cost</c>: <paramref name="weight"/> × <c>np.sum(np.square(action))</c>, the squares and their sum in float32 (the action's dtype), the product in float64 (NumPy 1.x scalar promotion).</summary>
    protected static double ControlCost(double weight, ReadOnlySpan<float> action) => weight * NumpyArithmetic.SumOfSquares(action);

    /// <summary>Gymnasium's <c>get_body_com(name)</c>: the body frame's position (<c>data.xpos</c>).</summary>
    protected ReadOnlySpan<double> BodyPosition(int bodyId) => Data.Xpos.Slice(bodyId * 3, 3);

    /// <summary>A (low, high) pair option, checked to have two elements.</summary>
    protected static (double Low, double High) Range(string id, string name, double[] range) =>
        range is [var low, var high] ? (low, high) : throw new ArgumentException($"{id}: option {name} needs two values (low, high); got {range.Length}.");

    /// <summary>Where Gymnasium looks for a model file: paths starting with '.' or '/' (or rooted) as given, '~' in the home folder, anything else in the assets folder.</summary>
    public static string ResolveModelPath(string modelFile)
    {
        if (modelFile.StartsWith('~'))
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), modelFile.TrimStart('~').TrimStart('/', '\\'));
        if (modelFile.StartsWith('.') || Path.IsPathRooted(modelFile)) return Path.GetFullPath(modelFile);
        return Path.Combine(AssetsFolder, modelFile);
    }

    /// <summary>The folder of Gymnasium's model files, beside the plugin assembly.</summary>
    public static string AssetsFolder => Path.Combine(Path.GetDirectoryName(typeof(MuJoCoEnv).Assembly.Location) ?? AppContext.BaseDirectory, "assets");

    private static void ReadValues(BinaryReader reader, Span<double> values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = reader.ReadDouble();
    }

    private static Box ActionBox(MjModel model)
    {
        var range = model.ActuatorCtrlRange;
        var low = new float[model.Nu];
        var high = new float[model.Nu];
        for (int i = 0; i < model.Nu; i++)
        {
            low[i] = (float)range[2 * i];
            high[i] = (float)range[2 * i + 1];
        }
        return new Box(low, high);
    }

    private static void ValidateRenderOptions(string id, MuJoCoEnvOptions options)
    {
        if (options.CameraId is not null && options.CameraName is not null)
            throw new ArgumentException($"{id}: camera_id ({options.CameraId}) and camera_name ('{options.CameraName}') cannot both be set; choose one.");
    }

    // Gymnasium's MujocoRenderer.render: camera_name "track" when neither is given, and the free camera (-1) when the model
    // has no "track"; an id outside the model, or a name given explicitly that the model lacks, is refused here (MuJoCo would
    // end the process on the first, Gymnasium silently falls back to the free camera on the second).
    private int ResolveCamera(MuJoCoEnvOptions options)
    {
        if (options.CameraId is { } id)
            return id < Model.Ncam ? id
                : throw new ArgumentException($"{Id}: camera_id {id} is not a camera of {Model.FileName}, which has {Model.Ncam} (ids 0 to {Model.Ncam - 1}, or -1 for the free camera).");
        if (options.CameraName is { } name)
            return Model.IdOf(MjObject.Camera, name) is var named and >= 0 ? named
                : throw new ArgumentException($"{Id}: camera_name '{name}' is not a camera of {Model.FileName}.");
        return Model.IdOf(MjObject.Camera, "track");
    }

    private void CheckAction(ReadOnlySpan<float> action)
    {
        if (action.Length != Model.Nu) ActionSpace.EnsureContains(action, Id, "action");
        foreach (float value in action)
            if (!float.IsFinite(value)) RejectAction(action);
    }

    [DoesNotReturn]
    private void RejectAction(ReadOnlySpan<float> action) =>
        throw new SpaceMismatchException($"{Id}: action {Space.Format(action)} is not finite; expected finite values of {ActionSpace}.");

    private void CheckObservationBuffer(Span<float> observation)
    {
        if (observation.Length != _observationSize)
            throw new ArgumentException($"{Id}: the observation buffer has {observation.Length} elements; expected {_observationSize} for {ObservationSpace}.", nameof(observation));
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    [DoesNotReturn]
    private void ThrowNotRunning()
    {
        ThrowIfDisposed();
        throw new InvalidOperationException(_phase == Phase.NotReset
            ? $"{Id}: Step called before Reset; expected Reset to start an episode first."
            : $"{Id}: Step called after the episode terminated; expected Reset to start a new episode (Gymnasium only warns here; this port throws).");
    }
}
