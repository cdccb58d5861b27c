using System.Diagnostics.CodeAnalysis;
using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Plugins.Box2D.Physics;
using Research.Rl.Seeding;

namespace Research.Plugins.Box2D;

/// <summary>What the Box2D environments share: Gymnasium's seeding, the episode life cycle, action checks, and state saving by replay.</summary>
/// <remarks>
/// <para>Every reset builds a fresh Box2D world (as Gymnasium 1.0 does for LunarLander, after its issue #728: Box2D's
/// broad-phase keeps history across destroyed bodies, so a reused world can turn one seed into different episodes). An
/// episode is therefore a function of the generator's state at its reset and the actions taken since.</para>
/// <para>That is how <see cref="IStateful"/> restores exactly: Box2D cannot hand over its internal state (contact manifolds
/// with their warm-starting impulses, joint impulses, the broad-phase tree, sleep timers), so the saved state is the
/// generator at the episode's start plus the episode's actions, and <see cref="ReadState"/> replays them on a fresh
/// world. The same Box2D build then reproduces every body bit for bit.</para>
/// <para>Unlike Gymnasium, which only warns, stepping before the first reset or after termination throws; an action
/// outside a discrete space, NaN or ±∞ throws naming the environment, the value and the space.</para>
/// </remarks>
public abstract class Box2DEnv : IEnv, IStateful
{
    private enum Phase : byte { NotReset, Running, Terminated }

    private const int InitialActionCapacity = 2048;

    private readonly int _observationSize;
    private readonly int _actionSize;
    private NumpyGenerator? _random;
    private NumpyGenerator? _episodeRandom;
    private Pcg64 _episodeStart;
    private float[] _actions;
    private int _actionCount;
    private Phase _phase;

    /// <summary>Creates the environment with its Gymnasium id and spaces; fails with the reason when the native shim is missing.</summary>
    protected Box2DEnv(string id, Space observationSpace, Space actionSpace)
    {
        Box2DLibrary.EnsureAvailable();
        Id = id;
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        _observationSize = observationSpace.FlatSize;
        _actionSize = actionSpace.FlatSize;
        _actions = new float[InitialActionCapacity * _actionSize];
    }

    /// <summary>The Gymnasium id, used in error messages.</summary>
    public string Id { get; }

    public Space ObservationSpace { get; }
    public Space ActionSpace { get; }
    public IReadOnlyDictionary<string, object> Info => EmptyInfo.Instance;

    /// <summary>The generator of the current episode: what <see cref="Advance"/> draws from (Gymnasium's <c>np_random</c>).</summary>
    protected NumpyGenerator EpisodeRandom => _episodeRandom ?? throw new InvalidOperationException($"{Id}: no episode has started.");

    /// <summary>True while <see cref="ReadState"/> replays a saved episode (rendering decorations are not re-emitted).</summary>
    protected bool Replaying { get; private set; }

    /// <summary>Steps taken in the current episode (after the reset's own internal step).</summary>
    public int EpisodeSteps => _actionCount / _actionSize;

    public void Reset(Span<float> observation, int? seed = null)
    {
        CheckObservationBuffer(observation);
        if (seed is { } s)
        {
            if (s < 0) throw new ArgumentOutOfRangeException(nameof(seed), s, $"{Id}: seed {s} is negative; expected a non-negative integer (as NumPy's SeedSequence).");
            _random = NumpyGenerator.FromSeed(s);
        }
        _random ??= NumpyGenerator.FromEntropy();
        _episodeStart = _random.BitGenerator;
        _actionCount = 0;
        _episodeRandom = _random;
        StartEpisode(_random);
        _phase = Phase.Running;
        WriteObservation(observation);
    }

    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (_phase != Phase.Running) ThrowNotRunning();
        if (observation.Length != _observationSize) CheckObservationBuffer(observation);
        CheckAction(action);
        Record(action);
        var outcome = Advance(action);
        if (outcome.Terminated) _phase = Phase.Terminated;
        WriteObservation(observation);
        return outcome;
    }

    public RgbFrame Render()
    {
        if (_phase == Phase.NotReset) throw new InvalidOperationException($"{Id}: Render called before Reset; there is no state to draw yet.");
        return Draw();
    }

    /// <summary>Writes the generator at the episode's start and the episode's actions (see the class remarks), then what rendering remembers.</summary>
    public void WriteState(BinaryWriter writer)
    {
        writer.Write(Id);
        writer.Write((byte)_phase);
        writer.Write(_random is not null);
        if (_random is not null)
        {
            _random.WriteState(writer);
            new NumpyGenerator(_episodeStart).WriteState(writer);
        }
        writer.Write(_actionSize);
        writer.Write(_actionCount);
        for (int i = 0; i < _actionCount; i++) writer.Write(_actions[i]);
        WriteRenderState(writer);
    }

    /// <summary>Restores a state written by <see cref="WriteState"/>, replaying the saved episode on a fresh world.</summary>
    public void ReadState(BinaryReader reader)
    {
        string id = reader.ReadString();
        if (id != Id) throw new InvalidDataException($"{Id}: the saved state belongs to '{id}', not to this environment.");
        byte phase = reader.ReadByte();
        if (phase > (byte)Phase.Terminated) throw new InvalidDataException($"{Id}: saved episode phase {phase} is not one of 0 (not reset), 1 (running), 2 (terminated).");
        NumpyGenerator? current = null, start = null;
        if (reader.ReadBoolean())
        {
            current = NumpyGenerator.FromSeed(0);
            current.ReadState(reader);
            start = NumpyGenerator.FromSeed(0);
            start.ReadState(reader);
        }
        int actionSize = reader.ReadInt32(), count = reader.ReadInt32();
        if (actionSize != _actionSize) throw new InvalidDataException($"{Id}: the saved actions have {actionSize} values each; this environment's have {_actionSize}.");
        if (count < 0 || count % _actionSize != 0 || count > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"{Id}: saved action count {count} is not a whole number of actions within the stream.");
        if ((Phase)phase != Phase.NotReset && start is null) throw new InvalidDataException($"{Id}: a started episode was saved without its generator.");
        var actions = new float[Math.Max(count, InitialActionCapacity * _actionSize)];
        for (int i = 0; i < count; i++) actions[i] = reader.ReadSingle();

        _phase = (Phase)phase;
        _actions = actions;
        _actionCount = count;
        _random = current;
        _episodeRandom = null;
        if (_phase != Phase.NotReset)
        {
            _episodeStart = start!.BitGenerator;
            var replay = _episodeRandom = new NumpyGenerator(_episodeStart);
            bool terminated = false;
            Replaying = true;
            try
            {
                StartEpisode(replay);
                for (int offset = 0; offset < count; offset += _actionSize)
                {
                    if (terminated) throw new InvalidDataException($"{Id}: the saved episode terminated before its last action; the state does not replay on this build of Box2D.");
                    terminated = Advance(actions.AsSpan(offset, _actionSize)).Terminated;
                }
            }
            finally
            {
                Replaying = false;
            }
            if (terminated != (_phase == Phase.Terminated) || !SameState(replay, current!))
                throw new InvalidDataException($"{Id}: replaying the saved episode did not reach the saved state (another build of Box2D?).");
            _episodeRandom = current;
        }
        ReadRenderState(reader);
    }

    public void Dispose()
    {
        DisposeWorlds();
        GC.SuppressFinalize(this);
    }

    /// <summary>Builds a fresh world for a new episode, drawing what Gymnasium's <c>reset</c> draws, including its internal first step.</summary>
    protected abstract void StartEpisode(NumpyGenerator random);

    /// <summary>Throws (via <see cref="RejectAction"/>) when an action is not acceptable; finite out-of-range continuous values pass, as in Gymnasium.</summary>
    protected abstract void CheckAction(ReadOnlySpan<float> action);

    /// <summary>Applies a checked action and steps the physics; returns the reward and flags. Called again with the same actions on restore.</summary>
    protected abstract StepOutcome Advance(ReadOnlySpan<float> action);

    /// <summary>Writes the observation of the current state.</summary>
    protected abstract void WriteObservation(Span<float> observation);

    /// <summary>Draws the current state at Gymnasium's <c>rgb_array</c> size.</summary>
    protected abstract RgbFrame Draw();

    /// <summary>Releases the episode's Box2D worlds.</summary>
    protected abstract void DisposeWorlds();

    /// <summary>Writes state that only rendering uses (not replayed); nothing by default.</summary>
    protected virtual void WriteRenderState(BinaryWriter writer) { }

    /// <summary>Reads what <see cref="WriteRenderState"/> wrote.</summary>
    protected virtual void ReadRenderState(BinaryReader reader) { }

    /// <summary>The index of a discrete action; throws naming the environment when it is not in {0, …, n − 1}.</summary>
    protected int DiscreteAction(ReadOnlySpan<float> action, int n)
    {
        if (action.Length == 1)
        {
            float value = action[0];
            int index = (int)value;
            if (index == value && (uint)index < (uint)n) return index;
        }
        RejectAction(action);
        return 0;
    }

    /// <summary>Checks a continuous action's length and that every value is finite (out-of-range values are the env's to clip).</summary>
    protected void CheckFiniteAction(ReadOnlySpan<float> action)
    {
        if (action.Length != _actionSize) RejectAction(action);
        foreach (float value in action)
            if (!float.IsFinite(value)) RejectAction(action);
    }

    /// <summary>Throws a <see cref="SpaceMismatchException"/> naming the environment, the action and the space.</summary>
    [DoesNotReturn]
    protected void RejectAction(ReadOnlySpan<float> action)
    {
        ActionSpace.EnsureContains(action, Id, "action");
        throw new SpaceMismatchException($"{Id}: action {Space.Format(action)} is not finite; expected a finite value of {ActionSpace}.");
    }

    private void Record(ReadOnlySpan<float> action)
    {
        if (_actionCount + _actionSize > _actions.Length) Array.Resize(ref _actions, _actions.Length * 2);
        action.CopyTo(_actions.AsSpan(_actionCount));
        _actionCount += _actionSize;
    }

    private static bool SameState(NumpyGenerator a, NumpyGenerator b) =>
        a.BitGenerator.State == b.BitGenerator.State && a.BitGenerator.Increment == b.BitGenerator.Increment &&
        a.BitGenerator.BufferedUInt32 == b.BitGenerator.BufferedUInt32;

    private void CheckObservationBuffer(Span<float> observation)
    {
        if (observation.Length != _observationSize)
            throw new ArgumentException($"{Id}: the observation buffer has {observation.Length} elements; expected {_observationSize} for {ObservationSpace}.", nameof(observation));
    }

    [DoesNotReturn]
    private void ThrowNotRunning() => throw new InvalidOperationException(_phase == Phase.NotReset
        ? $"{Id}: Step called before Reset; expected Reset to start an episode first."
        : $"{Id}: Step called after the episode terminated; expected Reset to start a new episode (Gymnasium only warns here; this port throws).");
}
