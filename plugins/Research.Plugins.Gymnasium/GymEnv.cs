using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.Bridge;
using Research.Rl.Wrappers.Atari;

namespace Research.Plugins.Gymnasium;

/// <summary>
/// One Gymnasium environment in a Python worker, as an <see cref="IEnv"/> (Gymnasium's own contract: no autoreset), for single
/// envs and for C#-side wrappers such as the Atari preprocessing. A step is one request to the worker and allocates nothing.
/// </summary>
/// <remarks>
/// Envs sharing a worker must be stepped by one thread at a time (the vector env built by the family groups them so); a lock
/// guards the worker anyway. Python exceptions surface as <see cref="GymEnvException"/> naming the worker and the Python error.
/// The state cannot be saved: <see cref="IStateful"/> writes a marker, and the vector env above reports
/// <see cref="Rl.VectorEnvs.INonRestorableVectorEnv"/> so checkpoints restart the envs fresh.
/// </remarks>
public class GymEnv : IEnv, IStateful
{
    private const string StateMarker = "gymnasium-bridge env: not restorable";
    private readonly PythonWorker _worker;
    private readonly bool _ownsWorker;
    private readonly int[] _index;
    private readonly long[] _seed = new long[1];
    private readonly double[] _reward = new double[1];
    private readonly bool[] _terminated = new bool[1], _truncated = new bool[1];
    private readonly float[] _terminal;
    private byte[] _info = new byte[64];
    private int _infoLength;
    private Dictionary<string, object>? _infoDictionary;

    internal GymEnv(PythonWorker worker, int local, Space observationSpace, Space actionSpace, bool ownsWorker)
    {
        _worker = worker;
        _ownsWorker = ownsWorker;
        _index = [local];
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        _terminal = new float[observationSpace.FlatSize];
    }

    public Space ObservationSpace { get; }
    public Space ActionSpace { get; }

    /// <summary>The scalar items of the last reset's or step's info (bool, long or double).</summary>
    public IReadOnlyDictionary<string, object> Info => _infoDictionary ??= BridgeInfos.ToDictionary(_info.AsSpan(0, _infoLength));

    /// <summary>Reads a number from the last info without allocating (a bool is 0 or 1).</summary>
    public bool TryGetInfoNumber(string key, out double value) => BridgeInfos.TryGetNumber(_info.AsSpan(0, _infoLength), key, out value);

    public void Reset(Span<float> observation, int? seed = null)
    {
        lock (_worker)
        {
            _seed[0] = seed ?? 0;
            Run("RESET");
            try
            {
                _worker.Client.SendReset(_index, _seed, seed is not null, null);
                _worker.Client.ReceiveReset(1, observation);
            }
            catch (Exception e) when (Handle(e, "RESET") is { } failure)
            {
                throw failure;
            }
            _worker.End();
            KeepInfo();
        }
    }

    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        lock (_worker)
        {
            Run("STEP");
            try
            {
                _worker.Client.SendStep(autoreset: false, _index, action);
                _worker.Client.ReceiveStep(1, observation, _reward, _terminated, _truncated, _terminal);
            }
            catch (Exception e) when (Handle(e, "STEP") is { } failure)
            {
                throw failure;
            }
            _worker.End();
            KeepInfo();
            return new StepOutcome(_reward[0], _terminated[0], _truncated[0]);
        }
    }

    public RgbFrame Render()
    {
        lock (_worker) return _worker.Call("RENDER", () => _worker.Client.Render(_index[0]));
    }

    private void Run(string operation) => _worker.Begin(operation);

    // Turns a client failure into the exception to throw: a Python error names the worker; a transport failure fails the worker.
    private Exception? Handle(Exception e, string operation)
    {
        if (e is BridgeRemoteException remote)
        {
            _worker.End();
            return new GymEnvException($"{_worker.Describe()}: {remote.Message}", remote);
        }
        return PythonWorker.IsTransport(e) ? _worker.Fail(operation, e) : null;
    }

    private void KeepInfo()
    {
        var info = _worker.Client.Info(0);
        if (_info.Length < info.Length) _info = new byte[Math.Max(info.Length, 2 * _info.Length)];
        info.CopyTo(_info);
        _infoLength = info.Length;
        _infoDictionary = null;
    }

    /// <summary>Writes only a marker: the Python env cannot be saved.</summary>
    public void WriteState(BinaryWriter writer) => writer.Write(StateMarker);

    /// <summary>Reads the marker.</summary>
    public void ReadState(BinaryReader reader)
    {
        string marker = reader.ReadString();
        if (marker != StateMarker) throw new InvalidDataException($"GymEnv: the state is not a Gymnasium bridge marker ('{marker}').");
    }

    /// <summary>Closes the worker when this env owns it (a single env); envs of a vector env leave that to it.</summary>
    public void Dispose()
    {
        if (_ownsWorker) _worker.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates the env for a worker's env <paramref name="local"/>: an <see cref="IAtariEnv"/> when the worker reports ALE's action meanings.</summary>
    internal static GymEnv For(PythonWorker worker, int local, BridgeReady ready, bool ownsWorker)
    {
        var observationSpace = ready.ObservationSpace();
        var actionSpace = ready.ActionSpace();
        return ready.ActionMeanings is { } meanings
            ? new GymAtariEnv(worker, local, observationSpace, actionSpace, ownsWorker, meanings)
            : new GymEnv(worker, local, observationSpace, actionSpace, ownsWorker);
    }
}

/// <summary>An ALE env behind the bridge: its action meanings (from the handshake) and lives (ALE's <c>info["lives"]</c>) for SB3's Atari wrappers.</summary>
public sealed class GymAtariEnv : GymEnv, IAtariEnv
{
    internal GymAtariEnv(PythonWorker worker, int local, Space observationSpace, Space actionSpace, bool ownsWorker, IReadOnlyList<string> meanings)
        : base(worker, local, observationSpace, actionSpace, ownsWorker)
    {
        ActionMeanings = meanings;
    }

    public IReadOnlyList<string> ActionMeanings { get; }

    /// <summary>The lives in the last info (0 when the env reports none).</summary>
    public int Lives => TryGetInfoNumber("lives", out double lives) ? (int)lives : 0;
}

/// <summary>A Python exception in a bridged env, with the worker named and the Python traceback in the message.</summary>
public sealed class GymEnvException(string message, Exception inner) : Exception(message, inner);
