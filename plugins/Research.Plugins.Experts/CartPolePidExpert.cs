using Research.Abstractions.Experts;
using Research.Abstractions.Options;
using Research.Abstractions.Plugins;

namespace Research.Plugins.Experts;

/// <summary>Gains of <see cref="CartPolePidExpert"/>: the push is to the right when the weighted state sum is positive.</summary>
public sealed record CartPolePidOptions
{
    /// <summary>Weight of the cart position.</summary>
    [Option("Weight of the cart position (m).")]
    public double PositionGain { get; init; } = 0.1;

    /// <summary>Weight of the cart velocity.</summary>
    [Option("Weight of the cart velocity (m/s).")]
    public double VelocityGain { get; init; } = 0.5;

    /// <summary>Weight of the pole angle.</summary>
    [Option("Weight of the pole angle (rad).")]
    public double AngleGain { get; init; } = 10;

    /// <summary>Weight of the pole's angular velocity.</summary>
    [Option("Weight of the pole's angular velocity (rad/s).")]
    public double AngularVelocityGain { get; init; } = 2;
}

/// <summary>
/// Balances CartPole-v1 with proportional-derivative feedback on the pole angle and the cart position, as a
/// bang-bang force (the environment only pushes left or right).
/// </summary>
/// <remarks>
/// All gains are positive: a pole leaning right is caught by pushing right, and a cart drifting right is brought
/// back by first pushing further right so the pole leans left (the system is non-minimum-phase in position).
/// </remarks>
[Expert("cartpole-pid", Environment = "CartPole-v1", Description = "PD feedback on pole angle and cart position; 500 on every seed.")]
public sealed class CartPolePidExpert : IExpert
{
    private readonly CartPolePidOptions _options;

    /// <summary>Creates the expert with the default gains.</summary>
    public CartPolePidExpert() : this(new CartPolePidOptions()) { }

    /// <summary>Creates the expert with the given gains.</summary>
    public CartPolePidExpert(CartPolePidOptions options) => _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Observation [x, ẋ, θ, θ̇] → action 1 (push right) or 0 (push left).</summary>
    public void Act(ReadOnlySpan<float> observation, Span<float> action)
    {
        ObservationChecks.RequireLength(observation, 4, "cartpole-pid");
        double signal = _options.PositionGain * observation[0] + _options.VelocityGain * observation[1]
            + _options.AngleGain * observation[2] + _options.AngularVelocityGain * observation[3];
        action[0] = signal > 0 ? 1f : 0f;
    }
}
