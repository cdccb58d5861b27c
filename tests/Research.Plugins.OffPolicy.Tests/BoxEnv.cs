using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.VectorEnvs;

namespace Research.Plugins.OffPolicy.Tests;

/// <summary>
/// A small continuous-control task with the oracle scripts' spaces (3 observations, 2 actions in [−2, 2] × [−1, 3]): the observation
/// drifts by the action's first two scaled components plus seeded noise, the reward is −|observation|², and episodes end after a
/// length that depends on the environment's index, so environments of one vector env end at different steps.
/// </summary>
internal sealed class BoxEnv(int episodeLength = 40) : IEnv, IStateful
{
    private readonly float[] _state = new float[3];
    private ulong _random = 1;
    private int _steps;

    public Space ObservationSpace { get; } = new Box(float.NegativeInfinity, float.PositiveInfinity, [3]);
    public Space ActionSpace { get; } = new Box([-2f, -1f], [2f, 3f]);
    public IReadOnlyDictionary<string, object> Info { get; } = new Dictionary<string, object>();

    /// <summary>A vector env of <paramref name="n"/> copies whose episodes last 30, 37, 44, … steps.</summary>
    public static SyncVectorEnv Vector(int n) => new(i => new BoxEnv(30 + 7 * i), n);

    public void Reset(Span<float> observation, int? seed = null)
    {
        if (seed is { } s) _random = (ulong)s * 0x9E3779B97F4A7C15UL + 1;
        for (int k = 0; k < 3; k++) _state[k] = Next() - 0.5f;
        _steps = 0;
        _state.CopyTo(observation);
    }

    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        _state[0] += 0.1f * action[0] + 0.05f * (Next() - 0.5f);
        _state[1] += 0.1f * (action[1] - 1f);
        _state[2] = 0.9f * _state[2] + 0.1f * _state[0];
        _steps++;
        _state.CopyTo(observation);
        double reward = -(_state[0] * _state[0] + _state[1] * _state[1] + _state[2] * _state[2]);
        return new StepOutcome(reward, false, _steps >= episodeLength);
    }

    public RgbFrame Render() => new(1, 1);

    public void WriteState(BinaryWriter writer)
    {
        writer.Write(_random);
        writer.Write(_steps);
        foreach (float v in _state) writer.Write(v);
    }

    public void ReadState(BinaryReader reader)
    {
        _random = reader.ReadUInt64();
        _steps = reader.ReadInt32();
        for (int k = 0; k < 3; k++) _state[k] = reader.ReadSingle();
    }

    public void Dispose() { }

    private float Next()
    {
        ulong z = _random += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return ((z ^ (z >> 31)) >> 40) / (float)(1 << 24);
    }
}
