using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.Wrappers;

namespace Research.Rl.VectorEnvs;

/// <summary>
/// What every vector env shares: batched buffers, Stable-Baselines' autoreset, episode bookkeeping and state.
/// Subclasses only decide which thread steps which environments.
/// </summary>
/// <remarks>
/// Finished episodes come from the outermost <see cref="RecordEpisodeStatistics"/> (or <c>Monitor</c>) in an environment's
/// wrappers when it has one — as SB3 reads <c>Monitor</c>'s <c>info["episode"]</c>, so that Atari's life-loss terminals and
/// clipped rewards above it do not replace whole games and raw scores — else from the done signals and rewards of its steps.
/// </remarks>
public abstract class VectorEnvBase : IVectorEnv, IStateful
{
    private readonly IEnv[] _envs;
    private readonly int _observationSize;
    private readonly int _actionSize;
    private readonly float[] _actions;
    private readonly double[] _runningReturns;
    private readonly int[] _runningLengths;
    private readonly double[] _endedReturns;
    private readonly int[] _endedLengths;
    private readonly RecordEpisodeStatistics?[] _monitors;
    private readonly bool[] _episodeEnded;
    private readonly List<EpisodeRecord> _completed;
    private int? _resetSeed;
    private bool _ready;
    private bool _disposed;

    /// <summary>Takes ownership of <paramref name="envs"/>, which must share their spaces.</summary>
    protected VectorEnvBase(IReadOnlyList<IEnv> envs)
    {
        if (envs.Count == 0) throw new ArgumentException($"{GetType().Name}: needs at least one environment.", nameof(envs));
        _envs = [.. envs];
        SingleObservationSpace = _envs[0].ObservationSpace;
        SingleActionSpace = _envs[0].ActionSpace;
        for (int i = 1; i < _envs.Length; i++)
        {
            EnsureSameSpace(i, "observation", _envs[i].ObservationSpace, SingleObservationSpace);
            EnsureSameSpace(i, "action", _envs[i].ActionSpace, SingleActionSpace);
        }
        int n = _envs.Length;
        _observationSize = SingleObservationSpace.FlatSize;
        _actionSize = SingleActionSpace.FlatSize;
        Observations = new float[n * _observationSize];
        TerminalObservations = new float[n * _observationSize];
        Rewards = new float[n];
        Terminated = new bool[n];
        Truncated = new bool[n];
        _actions = new float[n * _actionSize];
        _runningReturns = new double[n];
        _runningLengths = new int[n];
        _endedReturns = new double[n];
        _endedLengths = new int[n];
        _monitors = [.. _envs.Select(OutermostMonitor)];
        _episodeEnded = new bool[n];
        _completed = new List<EpisodeRecord>(n);
    }

    public int NumEnvs => _envs.Length;
    public Space SingleObservationSpace { get; }
    public Space SingleActionSpace { get; }
    public float[] Observations { get; }
    public float[] Rewards { get; }
    public bool[] Terminated { get; }
    public bool[] Truncated { get; }
    public float[] TerminalObservations { get; }
    public IReadOnlyList<EpisodeRecord> CompletedEpisodes => _completed;
    public IReadOnlyList<IEnv> Envs => _envs;

    public void Reset(int? seed = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _resetSeed = seed;
        _ready = false;
        _completed.Clear();
        Array.Clear(Rewards);
        Array.Clear(Terminated);
        Array.Clear(Truncated);
        Array.Clear(_runningReturns);
        Array.Clear(_runningLengths);
        Array.Clear(_episodeEnded);
        Run(VectorOperation.Reset);
        _ready = true;
    }

    public void Step(ReadOnlySpan<float> actions)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_ready)
            throw new InvalidOperationException($"{GetType().Name}: call Reset before Step (also needed after an environment failed).");
        if (actions.Length != _actions.Length)
            throw new ArgumentException(
                $"{GetType().Name}: expected {_actions.Length} action values ({NumEnvs} envs × {_actionSize}), got {actions.Length}.",
                nameof(actions));
        actions.CopyTo(_actions);
        _completed.Clear();
        _ready = false;
        Run(VectorOperation.Step);
        _ready = true;
        for (int i = 0; i < _envs.Length; i++)
            if (_episodeEnded[i])
                _completed.Add(new EpisodeRecord(i, _endedReturns[i], _endedLengths[i]));
    }

    /// <summary>Performs <paramref name="operation"/> on every environment, by calling <see cref="RunRange"/> on slices that cover them all.</summary>
    /// <exception cref="VectorEnvException">An environment failed; when several did, the one with the lowest index.</exception>
    protected abstract void Run(VectorOperation operation);

    /// <summary>Performs <paramref name="operation"/> on environments <paramref name="start"/> … <paramref name="end"/> − 1, touching only their rows.</summary>
    protected void RunRange(VectorOperation operation, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            try
            {
                if (operation == VectorOperation.Step) StepOne(i);
                else ResetOne(i);
            }
            catch (Exception e)
            {
                throw new VectorEnvException(GetType().Name, i, operation.ToString(), e);
            }
        }
    }

    private void ResetOne(int i)
    {
        int? seed = _resetSeed is { } s ? s + i : null;
        _envs[i].Reset(Observations.AsSpan(i * _observationSize, _observationSize), seed);
    }

    private void StepOne(int i)
    {
        var observation = Observations.AsSpan(i * _observationSize, _observationSize);
        var monitor = _monitors[i];
        int monitored = monitor?.EpisodesEnded ?? 0;
        var outcome = _envs[i].Step(_actions.AsSpan(i * _actionSize, _actionSize), observation);
        Rewards[i] = (float)outcome.Reward;
        Terminated[i] = outcome.Terminated;
        Truncated[i] = outcome.Truncated;
        _runningReturns[i] += outcome.Reward;
        _runningLengths[i]++;
        _episodeEnded[i] = false;
        if (!outcome.Done) return;
        observation.CopyTo(TerminalObservations.AsSpan(i * _observationSize, _observationSize));
        _endedReturns[i] = _runningReturns[i];
        _endedLengths[i] = _runningLengths[i];
        _runningReturns[i] = 0;
        _runningLengths[i] = 0;
        _episodeEnded[i] = monitor is null;
        // The reset may play (no-ops, FIRE, a life-loss no-op), which can end the monitored game too.
        _envs[i].Reset(observation);
        if (monitor is not null && monitor.EpisodesEnded != monitored)
        {
            _endedReturns[i] = monitor.LastReturn;
            _endedLengths[i] = monitor.LastLength;
            _episodeEnded[i] = true;
        }
    }

    private static RecordEpisodeStatistics? OutermostMonitor(IEnv env)
    {
        for (var e = env; e is not null; e = (e as EnvWrapper)?.Inner)
            if (e is RecordEpisodeStatistics monitor) return monitor;
        return null;
    }

    /// <summary>Writes every environment's state, the current observations and the running episode returns and lengths.</summary>
    public void WriteState(BinaryWriter writer)
    {
        writer.Write(_envs.Length);
        writer.Write(_observationSize);
        writer.Write(_ready);
        for (int i = 0; i < _envs.Length; i++)
        {
            StatefulEnv(i).WriteState(writer);
            writer.Write(_runningReturns[i]);
            writer.Write(_runningLengths[i]);
        }
        foreach (float x in Observations) writer.Write(x);
    }

    /// <summary>Restores a state written by <see cref="WriteState"/> from a vector env of the same size.</summary>
    public void ReadState(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        int observationSize = reader.ReadInt32();
        if (count != _envs.Length || observationSize != _observationSize)
            throw new InvalidDataException(
                $"{GetType().Name}: the state holds {count} envs with {observationSize} observation values, " +
                $"but this vector env has {_envs.Length} with {_observationSize}.");
        bool ready = reader.ReadBoolean();
        for (int i = 0; i < _envs.Length; i++)
        {
            StatefulEnv(i).ReadState(reader);
            _runningReturns[i] = reader.ReadDouble();
            _runningLengths[i] = reader.ReadInt32();
        }
        for (int k = 0; k < Observations.Length; k++) Observations[k] = reader.ReadSingle();
        _completed.Clear();
        _ready = ready;
    }

    private IStateful StatefulEnv(int i) => _envs[i] as IStateful
        ?? throw new InvalidOperationException(
            $"{GetType().Name}: env {i} ({_envs[i].GetType().Name}) does not implement IStateful, so its state cannot be saved or restored.");

    /// <summary>Disposes every environment.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        StopWorkers();
        foreach (var env in _envs) env.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops a subclass's threads before the environments are disposed.</summary>
    protected virtual void StopWorkers() { }

    private void EnsureSameSpace(int i, string kind, Space space, Space first)
    {
        if (space.FlatSize != first.FlatSize || space.ToString() != first.ToString())
            throw new ArgumentException($"{GetType().Name}: env {i} has {kind} space {space} but env 0 has {first}; all envs must share their spaces.");
    }

    /// <summary>Builds <paramref name="count"/> environments with <paramref name="factory"/> (called with 0 … count − 1).</summary>
    protected static IEnv[] BuildEnvs(Func<int, IEnv> factory, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var envs = new IEnv[count];
        for (int i = 0; i < count; i++) envs[i] = factory(i);
        return envs;
    }
}

/// <summary>What a vector env asks of each of its environments.</summary>
public enum VectorOperation
{
    /// <summary>Reset with the pending seed (seed + index) or none.</summary>
    Reset,

    /// <summary>Step with the environment's row of actions, autoresetting on episode end.</summary>
    Step,
}
