using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;
using Research.Plugins.ClassicControl.Rendering;
using Research.Rl.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.ClassicControl;

/// <summary>Gymnasium's <c>MountainCar-v0</c>: push an under-powered car left (0), not (1) or right (2) to reach the flag at 0.5; −1 per step.</summary>
/// <remarks>All arithmetic is float64, as in Gymnasium; observations are the state rounded to float32.</remarks>
[Environment("MountainCar-v0", MaxEpisodeSteps = 200, RewardThreshold = -110, Description = "Drive an under-powered car up a hill with three discrete pushes.")]
public sealed class MountainCarEnv : ClassicControlEnv
{
    private const double MaxSpeed = 0.07, GoalPosition = 0.5, GoalVelocity = 0, Force = 0.001, Gravity = 0.0025;

    private double _position, _velocity;

    /// <summary>Creates the environment; call <c>Reset</c> before stepping.</summary>
    public MountainCarEnv()
        : base("MountainCar-v0",
            new Box([(float)MountainScene.MinPosition, -(float)MaxSpeed], [(float)MountainScene.MaxPosition, (float)MaxSpeed]),
            new Discrete(3), 600, 400) { }

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
    }

    protected override void WriteObservation(Span<float> observation)
    {
        observation[1] = (float)_velocity;
        observation[0] = (float)_position;
    }

    protected override double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated)
    {
        int push = DiscreteAction(action, 3);
        double velocity = _velocity + ((push - 1) * Force + Math.Cos(3 * _position) * -Gravity);
        velocity = Math.Clamp(velocity, -MaxSpeed, MaxSpeed);
        double position = Math.Clamp(_position + velocity, MountainScene.MinPosition, MountainScene.MaxPosition);
        if (position == MountainScene.MinPosition && velocity < 0) velocity = 0;
        terminated = position >= GoalPosition && velocity >= GoalVelocity;
        _position = position;
        _velocity = velocity;
        WriteObservation(observation);
        return -1.0;
    }

    protected override void Draw(Canvas canvas) => MountainScene.Draw(canvas, _position, GoalPosition);

    protected override void RestoreState(ReadOnlySpan<double> state) => (_position, _velocity) = (state[0], state[1]);
}
