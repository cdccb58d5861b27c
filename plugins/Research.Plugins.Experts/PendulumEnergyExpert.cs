using Research.Abstractions.Experts;
using Research.Abstractions.Options;
using Research.Abstractions.Plugins;

namespace Research.Plugins.Experts;

/// <summary>Gains of <see cref="PendulumEnergyExpert"/>.</summary>
public sealed record PendulumEnergyOptions
{
    /// <summary>Gravity of the environment (Pendulum-v1's option <c>g</c>); sets the upright energy.</summary>
    [Option("Gravity of the environment (its option g), m/s^2.", Min = 0)]
    public double G { get; init; } = 10.0;

    /// <summary>Above this cos θ the balancing PD law takes over from the energy pump.</summary>
    [Option("cos(theta) above which the PD catch replaces the energy pump.", Min = -1, Max = 1)]
    public double CatchCosine { get; init; } = 0.9;

    /// <summary>Proportional gain of the catch on the angle.</summary>
    [Option("Proportional gain of the catch (torque per rad).", Min = 0)]
    public double AngleGain { get; init; } = 10;

    /// <summary>Derivative gain of the catch on the angular velocity.</summary>
    [Option("Derivative gain of the catch (torque per rad/s).", Min = 0)]
    public double AngularVelocityGain { get; init; } = 2;

    /// <summary>Gain of the energy pump (torque per unit of missing energy).</summary>
    [Option("Gain of the energy pump (torque per unit of missing energy).", Min = 0)]
    public double EnergyGain { get; init; } = 1;
}

/// <summary>
/// Swings Pendulum-v1 up by pumping energy (torque along the motion while the energy is below the upright
/// energy, against it above) and balances it with PD feedback once it is near the top.
/// </summary>
/// <remarks>
/// Pendulum-v1 integrates θ̈ = 3g/(2l)·sin θ + 3/(ml²)·u with m = l = 1 and θ = 0 upright, so
/// E = θ̇²/2 + (3g/2)·cos θ is conserved without torque and equals 3g/2 at rest upright.
/// Linearised at the top, θ̈ = (3g/2)θ + 3u: the catch stabilises for AngleGain &gt; g/2.
/// </remarks>
[Expert("pendulum-energy", Environment = "Pendulum-v1", Description = "Energy-pumping swing-up with a PD catch near the top.")]
public sealed class PendulumEnergyExpert : IExpert
{
    private const double MaxTorque = 2.0;
    private readonly PendulumEnergyOptions _options;

    /// <summary>Creates the expert with the default gains.</summary>
    public PendulumEnergyExpert() : this(new PendulumEnergyOptions()) { }

    /// <summary>Creates the expert with the given gains.</summary>
    public PendulumEnergyExpert(PendulumEnergyOptions options) => _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Observation [cos θ, sin θ, θ̇] → torque in [−2, 2].</summary>
    public void Act(ReadOnlySpan<float> observation, Span<float> action)
    {
        ObservationChecks.RequireLength(observation, 3, "pendulum-energy");
        double cos = observation[0], angle = Math.Atan2(observation[1], cos), velocity = observation[2];
        double torque;
        if (cos > _options.CatchCosine)
        {
            torque = -(_options.AngleGain * angle + _options.AngularVelocityGain * velocity);
        }
        else
        {
            double potential = 1.5 * _options.G;
            double energy = 0.5 * velocity * velocity + potential * cos;
            // At rest at the bottom the velocity is 0; pushing positively starts the swing.
            double direction = velocity >= 0 ? 1 : -1;
            torque = _options.EnergyGain * (potential - energy) * direction;
        }
        action[0] = (float)Math.Clamp(torque, -MaxTorque, MaxTorque);
    }
}
