using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Rl.Tests.VectorEnvs;

/// <summary>SplitMix64: a generator whose whole state is one number, so test envs can save it.</summary>
public sealed class SplitMix(ulong state)
{
    public ulong State { get; set; } = state;

    public float NextFloat()
    {
        ulong z = State += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 40) / (float)(1 << 24);
    }
}

/// <summary>Base of the test envs: the step-after-end rule, a saved generator and a Disposed flag.</summary>
public abstract class TestEnv : IEnv, IStateful
{
    protected SplitMix Random { get; } = new(12345);
    protected bool Active { get; private set; }

    public abstract Space ObservationSpace { get; }
    public abstract Space ActionSpace { get; }
    public IReadOnlyDictionary<string, object> Info => EmptyInfo.Instance;
    public int? LastSeed { get; private set; }
    public int ResetCount { get; private set; }
    public bool Disposed { get; private set; }

    public void Reset(Span<float> observation, int? seed = null)
    {
        if (seed is { } s) Random.State = (ulong)s;
        LastSeed = seed ?? LastSeed;
        ResetCount++;
        Active = true;
        OnReset(observation);
    }

    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (!Active) throw new InvalidOperationException($"{GetType().Name}: step before reset or after the end.");
        ActionSpace.EnsureContains(action, GetType().Name, "action");
        var outcome = OnStep(action, observation);
        Active = !outcome.Done;
        return outcome;
    }

    protected abstract void OnReset(Span<float> observation);
    protected abstract StepOutcome OnStep(ReadOnlySpan<float> action, Span<float> observation);

    public RgbFrame Render() => new(1, 1);

    public virtual void WriteState(BinaryWriter writer)
    {
        writer.Write(Random.State);
        writer.Write(Active);
    }

    public virtual void ReadState(BinaryReader reader)
    {
        Random.State = reader.ReadUInt64();
        Active = reader.ReadBoolean();
    }

    public void Dispose() => Disposed = true;
}

/// <summary>
/// Records, for every thread that calls <see cref="Record"/> while measuring, its allocation counter at the first and
/// last call, so allocations of worker threads can be checked without counting other threads of the process.
/// </summary>
public sealed class AllocationProbe
{
    private const int MaxThreads = 64;
    [ThreadStatic] private static int t_slot;
    private static int s_slots;
    private readonly long[] _first = new long[MaxThreads];
    private readonly long[] _last = new long[MaxThreads];
    private volatile bool _measuring;

    public void Start()
    {
        Array.Fill(_first, long.MinValue);
        _measuring = true;
    }

    public void Record()
    {
        if (t_slot == 0) t_slot = Interlocked.Increment(ref s_slots);
        if (!_measuring) return;
        long now = GC.GetAllocatedBytesForCurrentThread();
        int slot = t_slot % MaxThreads;
        if (_first[slot] == long.MinValue) _first[slot] = now;
        _last[slot] = now;
    }

    /// <summary>Bytes allocated between the first and last readings, summed over threads, and how many threads took readings.</summary>
    public (long Bytes, int Threads) Stop()
    {
        _measuring = false;
        long bytes = 0;
        int threads = 0;
        for (int k = 0; k < MaxThreads; k++)
        {
            if (_first[k] == long.MinValue) continue;
            bytes += _last[k] - _first[k];
            threads++;
        }
        return (bytes, threads);
    }
}

/// <summary>
/// Observes [steps so far, noise]; reward = steps + action; terminates after <c>episodeLength</c> steps;
/// throws at step <c>failAtStep</c> of an episode when set; reports each step to <c>probe</c> when given.
/// </summary>
public sealed class CounterEnv(int episodeLength = 5, int? failAtStep = null, AllocationProbe? probe = null) : TestEnv
{
    private int _count;
    private float _noise;

    public override Space ObservationSpace { get; } = new Box(float.NegativeInfinity, float.PositiveInfinity, [2]);
    public override Space ActionSpace { get; } = new Discrete(2);

    protected override void OnReset(Span<float> observation)
    {
        _count = 0;
        _noise = Random.NextFloat();
        Write(observation);
    }

    protected override StepOutcome OnStep(ReadOnlySpan<float> action, Span<float> observation)
    {
        probe?.Record();
        _count++;
        if (_count == failAtStep) throw new InvalidOperationException($"CounterEnv: planned failure at step {_count}.");
        _noise = Random.NextFloat();
        Write(observation);
        return new StepOutcome(_count + action[0], _count >= episodeLength, false);
    }

    private void Write(Span<float> observation)
    {
        observation[0] = _count;
        observation[1] = _noise;
    }

    public override void WriteState(BinaryWriter writer)
    {
        writer.Write(_count);
        writer.Write(_noise);
        base.WriteState(writer);
    }

    public override void ReadState(BinaryReader reader)
    {
        _count = reader.ReadInt32();
        _noise = reader.ReadSingle();
        base.ReadState(reader);
    }
}

/// <summary>A point moved by a Box action in [low, high]²; observes [x, y, random]; reward −|a|²; never ends by itself.</summary>
public sealed class ContinuousEnv(float low = -2, float high = 2) : TestEnv
{
    private float _x, _y;

    public override Space ObservationSpace { get; } = new Box(float.NegativeInfinity, float.PositiveInfinity, [3]);
    public override Space ActionSpace { get; } = new Box(low, high, [2]);
    public float[] LastAction { get; } = new float[2];

    protected override void OnReset(Span<float> observation)
    {
        _x = Random.NextFloat() - 0.5f;
        _y = Random.NextFloat() - 0.5f;
        observation[0] = _x;
        observation[1] = _y;
        observation[2] = Random.NextFloat();
    }

    protected override StepOutcome OnStep(ReadOnlySpan<float> action, Span<float> observation)
    {
        action.CopyTo(LastAction);
        _x += action[0];
        _y += action[1];
        observation[0] = _x;
        observation[1] = _y;
        observation[2] = Random.NextFloat();
        return new StepOutcome(-(action[0] * action[0] + action[1] * action[1]), false, false);
    }

    public override void WriteState(BinaryWriter writer)
    {
        writer.Write(_x);
        writer.Write(_y);
        base.WriteState(writer);
    }

    public override void ReadState(BinaryReader reader)
    {
        _x = reader.ReadSingle();
        _y = reader.ReadSingle();
        base.ReadState(reader);
    }
}

/// <summary>Observes a Dict {"position": Box(−1, 1, (2,)), "mode": Discrete(3)}; the action (Discrete(3)) sets the mode.</summary>
public sealed class DictObservationEnv : TestEnv
{
    private float _mode;

    public override Space ObservationSpace { get; } = new DictSpace([
        new("position", new Box(-1, 1, [2])),
        new("mode", new Discrete(3)),
    ]);

    public override Space ActionSpace { get; } = new Discrete(3);

    protected override void OnReset(Span<float> observation)
    {
        _mode = 0;
        Write(observation);
    }

    protected override StepOutcome OnStep(ReadOnlySpan<float> action, Span<float> observation)
    {
        _mode = action[0];
        Write(observation);
        return new StepOutcome(_mode, false, false);
    }

    private void Write(Span<float> observation)
    {
        observation[0] = Random.NextFloat() * 2 - 1;
        observation[1] = Random.NextFloat() * 2 - 1;
        observation[2] = _mode;
    }
}

/// <summary>
/// Observes a fixed value plus the episode's step count and pays <c>rewards</c> in turn (across episodes),
/// so statistics can be computed by hand.
/// </summary>
public sealed class ScriptedEnv(float start, float[] rewards, int episodeLength = int.MaxValue) : TestEnv
{
    private int _count;
    private int _totalSteps;

    public override Space ObservationSpace { get; } = new Box(float.NegativeInfinity, float.PositiveInfinity, [1]);
    public override Space ActionSpace { get; } = new Discrete(1);

    protected override void OnReset(Span<float> observation)
    {
        _count = 0;
        observation[0] = start;
    }

    protected override StepOutcome OnStep(ReadOnlySpan<float> action, Span<float> observation)
    {
        observation[0] = start + ++_count;
        return new StepOutcome(rewards[_totalSteps++ % rewards.Length], _count >= episodeLength, false);
    }

    public override void WriteState(BinaryWriter writer)
    {
        writer.Write(_count);
        writer.Write(_totalSteps);
        base.WriteState(writer);
    }

    public override void ReadState(BinaryReader reader)
    {
        _count = reader.ReadInt32();
        _totalSteps = reader.ReadInt32();
        base.ReadState(reader);
    }
}

/// <summary>A clock the tests move by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;

    public void Advance(double seconds) => Now = Now.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    public override DateTimeOffset GetUtcNow() => Now;
    public override long GetTimestamp() => Now.UtcTicks;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
}
