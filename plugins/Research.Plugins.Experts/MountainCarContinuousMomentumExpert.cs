using Research.Abstractions.Experts;
using Research.Abstractions.Plugins;

namespace Research.Plugins.Experts;

/// <summary>
/// Drives MountainCarContinuous-v0 to the flag with a constant force along its velocity (see <see cref="MountainCarContinuousMomentumOptions"/>).
/// A weak force pumps the swing for more steps but costs quadratically less per step: 0.3 scores about 97.7, full force about 89.
/// </summary>
[Expert("mountaincarcontinuous-momentum", Environment = "MountainCarContinuous-v0", Description = "A constant force along the velocity, turning back before the left wall.")]
public sealed class MountainCarContinuousMomentumExpert : IExpert
{
    private readonly MountainCarContinuousMomentumOptions _options;

    /// <summary>Creates the expert with the default parameters.</summary>
    public MountainCarContinuousMomentumExpert() : this(new MountainCarContinuousMomentumOptions()) { }

    /// <summary>Creates the expert with the given parameters.</summary>
    public MountainCarContinuousMomentumExpert(MountainCarContinuousMomentumOptions options) => _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Observation [position, velocity] → force +Force or −Force.</summary>
    public void Act(ReadOnlySpan<float> observation, Span<float> action)
    {
        ObservationChecks.RequireLength(observation, 2, "mountaincarcontinuous-momentum");
        action[0] = MountainCarMomentum.PushRight(observation[0], observation[1], _options) ? (float)_options.Force : -(float)_options.Force;
    }
}
