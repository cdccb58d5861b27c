using Research.Abstractions.Experts;
using Research.Abstractions.Plugins;

namespace Research.Plugins.Experts;

/// <summary>Drives MountainCar-v0 to the flag by pushing along its velocity (see <see cref="MountainCarMomentumOptions"/>).</summary>
[Expert("mountaincar-momentum", Environment = "MountainCar-v0", Description = "Push along the velocity, turning back before the left wall.")]
public sealed class MountainCarMomentumExpert : IExpert
{
    private readonly MountainCarMomentumOptions _options;

    /// <summary>Creates the expert with the default parameters.</summary>
    public MountainCarMomentumExpert() : this(new MountainCarMomentumOptions()) { }

    /// <summary>Creates the expert with the given parameters.</summary>
    public MountainCarMomentumExpert(MountainCarMomentumOptions options) => _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Observation [position, velocity] → action 2 (push right) or 0 (push left).</summary>
    public void Act(ReadOnlySpan<float> observation, Span<float> action)
    {
        ObservationChecks.RequireLength(observation, 2, "mountaincar-momentum");
        action[0] = MountainCarMomentum.PushRight(observation[0], observation[1], _options) ? 2f : 0f;
    }
}
