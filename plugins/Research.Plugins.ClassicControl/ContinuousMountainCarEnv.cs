using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;
using Research.Plugins.ClassicControl.Rendering;
using Research.Rl.Rendering;
using Research.Rl.Seeding;
using static Research.Plugins.ClassicControl.NumpyScalar;

namespace Research.Plugins.ClassicControl;

/// <summary>Gymnasium's <c>MountainCarContinuous-v0</c>: a force in [−1, 1] drives the car to the flag at 0.45; +100 on reaching it, −0.1·a² per step.</summary>
/// <remarks>
/// Gymnasium mixes the float32 action and float32 state with Python floats here, so the arithmetic follows NumPy 2's
/// promotion rules (<see cref="NumpyScalar"/>): the state is float64 right after reset and float32 after every step.
/// A finite action outside [−1, 1] is clipped for the force but squared unclipped for the cost, as in Gymnasium.
/// </remarks>
[Environment("MountainCarContinuous-v0", MaxEpisodeSteps = 999, RewardThreshold = 90, Description = "Drive an under-powered car up a hill with a continuous force.")]
public sealed class ContinuousMountainCarEnv : ClassicControlEnv
{
    private const double MinAction = -1.0, MaxAction = 1.0, MaxSpeed = 0.07, GoalPosition = 0.45, GoalVelocity = 0, Power = 0.0015;

    private double _position, _velocity;
    private ScalarKind _stateKind;

    /// <summary>Creates the environment; call <c>Reset</c> before stepping.</summary>
    public ContinuousMountainCarEnv()
        : base("MountainCarContinuous-v0",
            new Box([(float)MountainScene.MinPosition, -(float)MaxSpeed], [(float)MountainScene.MaxPosition, (float)MaxSpeed]),
            new Box((float)MinAction, (float)MaxAction, [1]), 600, 400) { }

    public override int StateSize => 2;

    public override void CopyState(Span<double> destination)
    {
        destination[0] = _position;
        destination[1] = _velocity;
    }

    protected override void ResetState(NumpyGenerator random)
    {
        _position = random.Uniform(-0.6, -0.4);
        _velocity = 0;
        _stateKind = ScalarKind.Float64;
    }

    protected override void WriteObservation(Span<float> observation)
    {
        observation[1] = (float)_velocity;
        observation[0] = (float)_position;
    }

    protected override double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated)
    {
        float a = ContinuousAction(action);
        var position = new NumpyScalar(_position, _stateKind);
        var velocity = new NumpyScalar(_velocity, _stateKind);
        var force = Min(Max(Float32(a), Python(MinAction)), Python(MaxAction));
        velocity += force * Python(Power) - Python(0.0025) * Python(Math.Cos((Python(3) * position).Value));
        if (velocity > Python(MaxSpeed)) velocity = Python(MaxSpeed);
        if (velocity < Python(-MaxSpeed)) velocity = Python(-MaxSpeed);
        position += velocity;
        if (position > Python(MountainScene.MaxPosition)) position = Python(MountainScene.MaxPosition);
        if (position < Python(MountainScene.MinPosition)) position = Python(MountainScene.MinPosition);
        if (position.NumericallyEquals(Python(MountainScene.MinPosition)) && velocity < Python(0)) velocity = Python(0);
        terminated = position >= Python(GoalPosition) && velocity >= Python(GoalVelocity);
        double reward = (terminated ? 100.0 : 0.0) - (double)a * a * 0.1;
        _position = (float)position.Value;
        _velocity = (float)velocity.Value;
        _stateKind = ScalarKind.Float32;
        WriteObservation(observation);
        return reward;
    }

    protected override void Draw(Canvas canvas) => MountainScene.Draw(canvas, _position, GoalPosition);

    protected override void RestoreState(ReadOnlySpan<double> state) => (_position, _velocity) = (state[0], state[1]);

    protected override void WriteExtraState(BinaryWriter writer) => writer.Write((byte)_stateKind);

    protected override void ReadExtraState(BinaryReader reader)
    {
        byte kind = reader.ReadByte();
        if (kind > (byte)ScalarKind.Float64) throw new InvalidDataException($"{Id}: saved state precision {kind} is not 1 (float32) or 2 (float64).");
        _stateKind = (ScalarKind)kind;
    }
}
