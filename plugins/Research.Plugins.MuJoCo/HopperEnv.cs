using Research.Abstractions.Options;
using Research.Abstractions.Plugins;
using Research.Plugins.MuJoCo.Rendering;

namespace Research.Plugins.MuJoCo;

/// <summary>Options of <see cref="HopperEnv"/> (Gymnasium's <c>HopperEnv.__init__</c> arguments).</summary>
public sealed record HopperOptions : PlanarWalkerOptions
{
    /// <summary>Gymnasium's defaults.</summary>
    public HopperOptions()
    {
        HealthyZRange = [0.7, double.PositiveInfinity];
        HealthyAngleRange = [-0.2, 0.2];
    }

    /// <summary>Open bounds on every element of qpos[2:] and qvel.</summary>
    [Option("Open bounds (low, high) on qpos[2:] and qvel for health.")]
    public double[] HealthyStateRange { get; init; } = [-100.0, 100.0];
}

/// <summary>Gymnasium's <c>Hopper-v4</c>: a one-legged planar robot rewarded for hopping forward while healthy.</summary>
/// <remarks>Healthy: every element of qpos[2:] and qvel inside the state range, the height (qpos[1]) inside the z range and the angle (qpos[2]) inside the angle range, all open intervals.</remarks>
[Environment("Hopper-v4", MaxEpisodeSteps = 1000, RewardThreshold = 3800, Description = "MuJoCo one-legged hopper (Gymnasium v4).")]
public sealed class HopperEnv : PlanarWalkerEnv
{
    private readonly (double Low, double High) _stateRange;

    /// <summary>Creates the environment with Gymnasium's defaults.</summary>
    public HopperEnv() : this(new HopperOptions()) { }

    /// <summary>Creates the environment with the given options.</summary>
    public HopperEnv(HopperOptions options)
        : base("Hopper-v4", "hopper.xml", options, new CameraDefaults(TrackBodyId: 2, Distance: 3.0, Lookat: [0.0, 0.0, 1.15], Elevation: -20.0))
    {
        Options = options;
        _stateRange = Range(Id, "healthy_state_range", options.HealthyStateRange);
    }

    /// <summary>The options this environment was made with.</summary>
    public HopperOptions Options { get; }

    public override bool IsHealthy
    {
        get
        {
            var qpos = Data.Qpos;
            foreach (double value in qpos[2..])
                if (!(_stateRange.Low < value && value < _stateRange.High)) return false;
            foreach (double value in Data.Qvel)
                if (!(_stateRange.Low < value && value < _stateRange.High)) return false;
            return ZRange.Low < qpos[1] && qpos[1] < ZRange.High && AngleRange.Low < qpos[2] && qpos[2] < AngleRange.High;
        }
    }
}
