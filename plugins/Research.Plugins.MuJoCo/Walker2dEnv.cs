using Research.Abstractions.Plugins;
using Research.Plugins.MuJoCo.Rendering;

namespace Research.Plugins.MuJoCo;

/// <summary>Options of <see cref="Walker2dEnv"/> (Gymnasium's <c>Walker2dEnv.__init__</c> arguments).</summary>
public sealed record Walker2dOptions : PlanarWalkerOptions
{
    /// <summary>Gymnasium's defaults.</summary>
    public Walker2dOptions()
    {
        HealthyZRange = [0.8, 2.0];
        HealthyAngleRange = [-1.0, 1.0];
    }
}

/// <summary>Gymnasium's <c>Walker2d-v4</c>: a two-legged planar walker rewarded for moving forward while healthy.</summary>
/// <remarks>Healthy: the height (qpos[1]) inside the z range and the angle (qpos[2]) inside the angle range, open intervals.</remarks>
[Environment("Walker2d-v4", MaxEpisodeSteps = 1000, Description = "MuJoCo two-legged planar walker (Gymnasium v4).")]
public sealed class Walker2dEnv : PlanarWalkerEnv
{
    /// <summary>Creates the environment with Gymnasium's defaults.</summary>
    public Walker2dEnv() : this(new Walker2dOptions()) { }

    /// <summary>Creates the environment with the given options.</summary>
    public Walker2dEnv(Walker2dOptions options)
        : base("Walker2d-v4", "walker2d.xml", options, new CameraDefaults(TrackBodyId: 2, Distance: 4.0, Lookat: [0.0, 0.0, 1.15], Elevation: -20.0)) =>
        Options = options;

    /// <summary>The options this environment was made with.</summary>
    public Walker2dOptions Options { get; }

    public override bool IsHealthy
    {
        get
        {
            double z = Data.Qpos[1], angle = Data.Qpos[2];
            return ZRange.Low < z && z < ZRange.High && AngleRange.Low < angle && angle < AngleRange.High;
        }
    }
}
