using System.Diagnostics.CodeAnalysis;
using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.ClassicControl;

/// <summary>What the classic-control environments share: Gymnasium's seeding, the episode life cycle, action checks, state saving and rendering.</summary>
/// <remarks>
/// Seeding follows Gymnasium: <c>Reset(seed: s)</c> replaces the generator with NumPy's <c>default_rng(s)</c>;
/// <c>Reset()</c> continues the current stream (drawing one from system entropy the first time).
/// Unlike Gymnasium, which only warns, stepping before the first reset or after termination throws.
/// </remarks>
public abstract class ClassicControlEnv : IEnv, IStateful
{
    private enum Phase : byte { NotReset, Running, Terminated }

    private readonly int _observationSize;
    private NumpyGenerator? _random;
    private Phase _phase;

    /// <summary>Creates the environment with its Gymnasium id and spaces.</summary>
    protected ClassicControlEnv(string id, Box observationSpace, Space actionSpace, int frameWidth, int frameHeight)
    {
        Id = id;
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        FrameWidth = frameWidth;
        FrameHeight = frameHeight;
        _observationSize = observationSpace.FlatSize;
    }

    /// <summary>The Gymnasium id, used in error messages.</summary>
    public string Id { get; }

    public Space ObservationSpace { get; }
    public Space ActionSpace { get; }
    public IReadOnlyDictionary<string, object> Info => EmptyInfo.Instance;

    /// <summary>Width of rendered frames (Gymnasium's screen size).</summary>
    public int FrameWidth { get; }

    /// <summary>Height of rendered frames.</summary>
    public int FrameHeight { get; }

    /// <summary>Number of values in the internal state (Gymnasium's <c>env.unwrapped.state</c>).</summary>
    public abstract int StateSize { get; }

    /// <summary>Copies the internal state (Gymnasium's <c>env.unwrapped.state</c>) into <paramref name="destination"/>.</summary>
    public abstract void CopyState(Span<double> destination);

    public void Reset(Span<float> observation, int? seed = null)
    {
        CheckObservationBuffer(observation);
        if (seed is { } s)
        {
            if (s < 0) throw new ArgumentOutOfRangeException(nameof(seed), s, $"{Id}: seed {s} is negative; expected a non-negative integer (as NumPy's SeedSequence).");
            _random = NumpyGenerator.FromSeed(s);
        }
        _random ??= NumpyGenerator.FromEntropy();
        ResetState(_random);
        _phase = Phase.Running;
        WriteObservation(observation);
    }

    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (_phase != Phase.Running) ThrowNotRunning();
        if (observation.Length != _observationSize) CheckObservationBuffer(observation);
        double reward = Advance(action, observation, out bool terminated);
        if (terminated) _phase = Phase.Terminated;
        return new StepOutcome(reward, terminated, false);
    }

    public RgbFrame Render()
    {
        if (_phase == Phase.NotReset) throw new InvalidOperationException($"{Id}: Render called before Reset; there is no state to draw yet.");
        var canvas = new Canvas(FrameWidth, FrameHeight);
        Draw(canvas);
        return canvas.ToFrame();
    }

    public void WriteState(BinaryWriter writer)
    {
        writer.Write(Id);
        writer.Write((byte)_phase);
        writer.Write(_random is not null);
        _random?.WriteState(writer);
        Span<double> state = stackalloc double[StateSize];
        CopyState(state);
        foreach (double value in state) writer.Write(value);
        WriteExtraState(writer);
    }

    public void ReadState(BinaryReader reader)
    {
        string id = reader.ReadString();
        if (id != Id) throw new InvalidDataException($"{Id}: the saved state belongs to '{id}', not to this environment.");
        byte phase = reader.ReadByte();
        if (phase > (byte)Phase.Terminated) throw new InvalidDataException($"{Id}: saved episode phase {phase} is not one of 0 (not reset), 1 (running), 2 (terminated).");
        _phase = (Phase)phase;
        if (reader.ReadBoolean())
        {
            _random ??= NumpyGenerator.FromSeed(0);
            _random.ReadState(reader);
        }
        else _random = null;
        Span<double> state = stackalloc double[StateSize];
        for (int i = 0; i < state.Length; i++) state[i] = reader.ReadDouble();
        RestoreState(state);
        ReadExtraState(reader);
    }

    /// <summary>Nothing to release: frames are drawn without native resources.</summary>
    public void Dispose() => GC.SuppressFinalize(this);

    /// <summary>Draws a new initial state from <paramref name="random"/>, as Gymnasium's <c>reset</c> does.</summary>
    protected abstract void ResetState(NumpyGenerator random);

    /// <summary>Writes the observation of the current state.</summary>
    protected abstract void WriteObservation(Span<float> observation);

    /// <summary>Checks the action, advances the physics, writes the observation; returns the reward.</summary>
    protected abstract double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated);

    /// <summary>Draws the current state.</summary>
    protected abstract void Draw(Canvas canvas);

    /// <summary>Sets the internal state from values in <see cref="CopyState"/>'s order (checkpoint restore).</summary>
    protected abstract void RestoreState(ReadOnlySpan<double> state);

    /// <summary>Writes state beyond <see cref="CopyState"/>'s values (for example what rendering remembers); none by default.</summary>
    protected virtual void WriteExtraState(BinaryWriter writer) { }

    /// <summary>Reads what <see cref="WriteExtraState"/> wrote.</summary>
    protected virtual void ReadExtraState(BinaryReader reader) { }

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

    /// <summary>The single element of a continuous action; NaN, ±∞ or a wrong length throws, finite values outside the bounds pass (the env clips them, as Gymnasium does).</summary>
    protected float ContinuousAction(ReadOnlySpan<float> action)
    {
        if (action.Length == 1 && float.IsFinite(action[0])) return action[0];
        RejectAction(action);
        return 0f;
    }

    [DoesNotReturn]
    private void RejectAction(ReadOnlySpan<float> action)
    {
        ActionSpace.EnsureContains(action, Id, "action");
        throw new SpaceMismatchException($"{Id}: action {Space.Format(action)} is not finite; expected a finite value of {ActionSpace}.");
    }

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
