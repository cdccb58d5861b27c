using Research.Abstractions.Options;

namespace Research.Plugins.Experts;

/// <summary>Parameters of the mountain-car momentum heuristic.</summary>
public record MountainCarMomentumOptions
{
    /// <summary>While rolling left, push right once the predicted position drops below this (to spare the wall's inelastic stop).</summary>
    [Option("While rolling left, push right once position + lookahead*velocity falls below this.", Min = -1.2, Max = 0.6)]
    public double TurnPosition { get; init; } = -0.95;

    /// <summary>Steps of lookahead in the predicted position.</summary>
    [Option("Steps of lookahead in position + lookahead*velocity.", Min = 0)]
    public double Lookahead { get; init; } = 1;
}

/// <summary>Parameters of the continuous mountain-car heuristic: the shared rule plus the size of the force.</summary>
public sealed record MountainCarContinuousMomentumOptions : MountainCarMomentumOptions
{
    /// <summary>Magnitude of the force; the step cost is 0.1·force², and below about 0.2 the car no longer reaches the flag.</summary>
    [Option("Magnitude of the force (cost 0.1*force^2 per step; below about 0.2 the car never reaches the flag).", Min = 0, Max = 1)]
    public double Force { get; init; } = 0.3;
}

/// <summary>
/// The momentum rule both mountain-car experts share: push along the velocity (pumping energy into the swing),
/// push right from rest, and turn back early before the left wall.
/// </summary>
internal static class MountainCarMomentum
{
    /// <summary>Whether to push right in the observed state.</summary>
    public static bool PushRight(double position, double velocity, MountainCarMomentumOptions options) =>
        velocity >= 0 || position + options.Lookahead * velocity < options.TurnPosition;
}
