using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Benchmarks.VectorEnvs;

/// <summary>
/// A cheap CartPole-like environment for vector-env benchmarks (Euler-integrated cart-pole, reward 1 per step,
/// ends when the pole falls or the cart leaves the track); it only needs to cost about what CartPole costs.
/// </summary>
public sealed class PoleEnv : IEnv
{
    private readonly float[] _state = new float[4];
    private ulong _random = 1;

    public Space ObservationSpace { get; } = new Box(float.NegativeInfinity, float.PositiveInfinity, [4]);
    public Space ActionSpace { get; } = new Discrete(2);
    public IReadOnlyDictionary<string, object> Info => EmptyInfo.Instance;

    public void Reset(Span<float> observation, int? seed = null)
    {
        if (seed is { } s) _random = (ulong)s;
        for (int k = 0; k < 4; k++) _state[k] = NextUniform() * 0.1f - 0.05f;
        _state.CopyTo(observation);
    }

    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        const float gravity = 9.8f, massPole = 0.1f, totalMass = 1.1f, length = 0.5f, poleMassLength = 0.05f, tau = 0.02f;
        float x = _state[0], xDot = _state[1], theta = _state[2], thetaDot = _state[3];
        float force = action[0] == 1 ? 10f : -10f;
        float cos = MathF.Cos(theta), sin = MathF.Sin(theta);
        float temp = (force + poleMassLength * thetaDot * thetaDot * sin) / totalMass;
        float thetaAcc = (gravity * sin - cos * temp) / (length * (4f / 3f - massPole * cos * cos / totalMass));
        float xAcc = temp - poleMassLength * thetaAcc * cos / totalMass;
        _state[0] = x + tau * xDot;
        _state[1] = xDot + tau * xAcc;
        _state[2] = theta + tau * thetaDot;
        _state[3] = thetaDot + tau * thetaAcc;
        _state.CopyTo(observation);
        bool terminated = MathF.Abs(_state[0]) > 2.4f || MathF.Abs(_state[2]) > 0.2095f;
        return new StepOutcome(1.0, terminated, false);
    }

    public RgbFrame Render() => new(1, 1);

    public void Dispose() { }

    private float NextUniform()
    {
        ulong z = _random += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return ((z ^ (z >> 31)) >> 40) / (float)(1 << 24);
    }
}
