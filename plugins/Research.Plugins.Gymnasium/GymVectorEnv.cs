using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.Bridge;
using Research.Rl.VectorEnvs;

namespace Research.Plugins.Gymnasium;

/// <summary>
/// Gymnasium environments in Python worker processes as one vector env: each step sends every worker its envs' actions at once
/// and then reads the replies, so the workers step in parallel, and the workers reset ended envs as Stable-Baselines does
/// (terminal observation kept, truncation flagged). No thread of ours waits per worker and a step allocates nothing.
/// </summary>
/// <remarks>
/// Seeding as SB3/Gymnasium: <c>Reset(seed)</c> resets env i with <c>seed + i</c>. A Python exception in an env surfaces as a
/// <see cref="VectorEnvException"/> naming the env, the worker and the Python error with its traceback (the vector env then needs
/// a reset); a worker that crashes, hangs past <see cref="GymnasiumOptions.Timeout"/> or breaks the protocol surfaces the same way
/// with a <see cref="GymWorkerException"/> inside, and the vector env cannot be used again. The Python envs' state cannot be
/// saved: checkpoints say so and a restored run starts fresh envs (<see cref="INonRestorableVectorEnv"/>).
/// </remarks>
public sealed class GymVectorEnv : INonRestorableVectorEnv, IStateful
{
    private const string StateMarker = "gymnasium-bridge: not restorable";
    private readonly PythonWorker[] _workers;
    private readonly int[][] _local;
    private readonly int _observationSize, _actionSize;
    private readonly double[] _rewards;
    private readonly long[] _seeds;
    private readonly double[] _runningReturns;
    private readonly int[] _runningLengths;
    private readonly List<EpisodeRecord> _completed;
    private readonly GymEnvView[] _views;
    private bool _ready, _disposed;
    private Exception? _broken;

    /// <summary>Starts workers hosting <paramref name="count"/> copies of <paramref name="env"/> (a Gymnasium id or <c>module:callable</c>).</summary>
    public GymVectorEnv(string env, int count, JsonObject kwargs, GymnasiumOptions options, string bridgePath)
    {
        Id = env;
        _workers = GymWorkers.Start(env, count, kwargs, options, bridgePath, out var ready);
        try
        {
            SingleObservationSpace = ready.ObservationSpace();
            SingleActionSpace = ready.ActionSpace();
        }
        catch
        {
            foreach (var worker in _workers) worker.Dispose();
            throw;
        }
        Ready = ready;
        NumEnvs = count;
        _local = [.. _workers.Select(w => Enumerable.Range(0, w.Count).ToArray())];
        _observationSize = SingleObservationSpace.FlatSize;
        _actionSize = SingleActionSpace.FlatSize;
        Observations = new float[count * _observationSize];
        TerminalObservations = new float[count * _observationSize];
        Rewards = new float[count];
        Terminated = new bool[count];
        Truncated = new bool[count];
        _rewards = new double[count];
        _seeds = new long[count];
        _runningReturns = new double[count];
        _runningLengths = new int[count];
        _completed = new List<EpisodeRecord>(count);
        _views = [.. Enumerable.Range(0, count).Select(i => new GymEnvView(this, i))];
    }

    /// <summary>The env given (a Gymnasium id or <c>module:callable</c>).</summary>
    public string Id { get; }

    /// <summary>What the first worker answered to HELLO (spaces, spec, versions).</summary>
    public BridgeReady Ready { get; }

    /// <summary>Worker processes.</summary>
    public int WorkerCount => _workers.Length;

    public int NumEnvs { get; }
    public Space SingleObservationSpace { get; }
    public Space SingleActionSpace { get; }
    public float[] Observations { get; }
    public float[] Rewards { get; }
    public bool[] Terminated { get; }
    public bool[] Truncated { get; }
    public float[] TerminalObservations { get; }
    public IReadOnlyList<EpisodeRecord> CompletedEpisodes => _completed;
    public IReadOnlyList<IEnv> Envs => _views;

    /// <inheritdoc />
    public string NotRestorableReason =>
        $"{Id}: Python environments behind the Gymnasium bridge cannot be saved; a run restored from this checkpoint starts fresh " +
        "episodes in new environments (as Stable-Baselines3 does after load), with the algorithm and wrappers such as VecNormalize restored exactly.";

    public void Reset(int? seed = null)
    {
        ThrowIfUnusable();
        _ready = false;
        _completed.Clear();
        Array.Clear(Rewards);
        Array.Clear(Terminated);
        Array.Clear(Truncated);
        Array.Clear(_runningReturns);
        Array.Clear(_runningLengths);
        for (int i = 0; i < NumEnvs; i++) _seeds[i] = (seed ?? 0) + (long)i;
        var failure = Exchange("RESET", seed is not null, step: false, default);
        if (failure is not null) throw failure;
        _ready = true;
    }

    public void Step(ReadOnlySpan<float> actions)
    {
        ThrowIfUnusable();
        if (!_ready) throw new InvalidOperationException("GymVectorEnv: call Reset before Step (also needed after an environment failed).");
        if (actions.Length != NumEnvs * _actionSize)
            throw new ArgumentException($"GymVectorEnv: expected {NumEnvs * _actionSize} action values ({NumEnvs} envs × {_actionSize}), got {actions.Length}.", nameof(actions));
        _completed.Clear();
        _ready = false;
        var failure = Exchange("STEP", seeded: false, step: true, actions);
        if (failure is not null) throw failure;
        for (int i = 0; i < NumEnvs; i++)
        {
            double reward = _rewards[i];
            Rewards[i] = (float)reward;
            _runningReturns[i] += reward;
            _runningLengths[i]++;
            if (!Terminated[i] && !Truncated[i]) continue;
            _completed.Add(new EpisodeRecord(i, _runningReturns[i], _runningLengths[i]));
            _runningReturns[i] = 0;
            _runningLengths[i] = 0;
        }
        _ready = true;
    }

    // Sends the request to every worker, then reads every reply (so the workers work at once). A Python error in one env
    // still lets the other replies be read, keeping every worker in step with the protocol; it is reported after them.
    private VectorEnvException? Exchange(string operation, bool seeded, bool step, ReadOnlySpan<float> actions)
    {
        VectorEnvException? first = null;
        int sent = 0;
        try
        {
            for (; sent < _workers.Length; sent++)
            {
                var worker = _workers[sent];
                worker.Begin(operation);
                if (step) worker.Client.SendStep(autoreset: true, _local[sent], actions.Slice(worker.FirstEnv * _actionSize, worker.Count * _actionSize));
                else worker.Client.SendReset(_local[sent], _seeds.AsSpan(worker.FirstEnv, worker.Count), seeded, null);
                worker.End();
            }
        }
        catch (Exception e) when (PythonWorker.IsTransport(e))
        {
            first = Broken(_workers[sent], operation, _workers[sent].Fail(operation, e));
        }
        for (int w = 0; w < sent; w++)
        {
            var worker = _workers[w];
            int a = worker.FirstEnv, n = worker.Count;
            try
            {
                worker.Begin(operation);
                if (step)
                {
                    worker.Client.ReceiveStep(n, Observations.AsSpan(a * _observationSize, n * _observationSize), _rewards.AsSpan(a, n),
                        Terminated.AsSpan(a, n), Truncated.AsSpan(a, n), TerminalObservations.AsSpan(a * _observationSize, n * _observationSize));
                }
                else worker.Client.ReceiveReset(n, Observations.AsSpan(a * _observationSize, n * _observationSize));
                worker.End();
            }
            catch (BridgeRemoteException e)
            {
                worker.End();
                first ??= new VectorEnvException($"GymVectorEnv({Id}) {worker.Describe()}", e.EnvIndex ?? a, Capitalized(operation), e);
            }
            catch (Exception e) when (PythonWorker.IsTransport(e))
            {
                var failure = Broken(worker, operation, worker.Fail(operation, e));
                first ??= failure;
            }
        }
        return first;
    }

    private VectorEnvException Broken(PythonWorker worker, string operation, GymWorkerException failure)
    {
        _broken = failure;
        return new VectorEnvException($"GymVectorEnv({Id})", worker.FirstEnv, Capitalized(operation), failure);
    }

    private static string Capitalized(string operation) => operation == "STEP" ? "Step" : "Reset";

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_broken is not null) throw new InvalidOperationException($"GymVectorEnv({Id}): a worker failed, so it cannot be used again: {_broken.Message}", _broken);
    }

    internal PythonWorker WorkerOf(int env, out int local)
    {
        foreach (var worker in _workers)
            if (env < worker.FirstEnv + worker.Count)
            {
                local = env - worker.FirstEnv;
                return worker;
            }
        throw new ArgumentOutOfRangeException(nameof(env));
    }

    /// <summary>Writes only a marker: the Python envs cannot be saved (see <see cref="NotRestorableReason"/>).</summary>
    public void WriteState(BinaryWriter writer)
    {
        writer.Write(StateMarker);
        writer.Write(NumEnvs);
    }

    /// <summary>Reads the marker; the algorithm then starts the envs afresh.</summary>
    public void ReadState(BinaryReader reader)
    {
        string marker = reader.ReadString();
        int count = reader.ReadInt32();
        if (marker != StateMarker || count != NumEnvs)
            throw new InvalidDataException($"GymVectorEnv({Id}): the state is not a Gymnasium bridge marker for {NumEnvs} envs ('{marker}', {count}).");
        _ready = false;
    }

    /// <summary>Closes every worker (CLOSE, then a kill if it does not exit).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var worker in _workers) worker.Dispose();
    }

    /// <summary>One env of the vector env, for rendering and its last info; step the vector env itself.</summary>
    private sealed class GymEnvView(GymVectorEnv owner, int index) : IEnv
    {
        public Space ObservationSpace => owner.SingleObservationSpace;
        public Space ActionSpace => owner.SingleActionSpace;

        public IReadOnlyDictionary<string, object> Info
        {
            get
            {
                var worker = owner.WorkerOf(index, out int local);
                return local < worker.Client.InfoCount ? BridgeInfos.ToDictionary(worker.Client.Info(local)) : [];
            }
        }

        public void Reset(Span<float> observation, int? seed = null) => throw Direct();
        public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation) => throw Direct();

        public RgbFrame Render()
        {
            owner.ThrowIfUnusable();
            var worker = owner.WorkerOf(index, out int local);
            return worker.Call("RENDER", () => worker.Client.Render(local));
        }

        public void Dispose() { }

        private static NotSupportedException Direct() => new(
            "GymVectorEnv: its envs are stepped and reset together by the vector env; for a single env create one (CreateEnvironment(\"gym:…\")).");
    }
}
