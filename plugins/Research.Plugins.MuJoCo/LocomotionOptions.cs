using Research.Abstractions.Options;

namespace Research.Plugins.MuJoCo;

/// <summary>Options the locomotion environments share (Gymnasium's keyword arguments of the same names); each environment sets its own defaults.</summary>
public abstract record LocomotionOptions : MuJoCoEnvOptions
{
    /// <summary>Weight of the control cost.</summary>
    [Option("Weight of the control cost (sum of squared controls).")]
    public double CtrlCostWeight { get; init; }

    /// <summary>Scale of the reset noise (uniform on qpos; on qvel uniform, or normal for HalfCheetah and Ant).</summary>
    [Option("Scale of the reset noise: uniform on qpos; uniform on qvel, normal for HalfCheetah and Ant.", Min = 0)]
    public double ResetNoiseScale { get; init; }

    /// <summary>Leave the root's horizontal position out of the observation (x; x and y for 3-D bodies and Swimmer).</summary>
    [Option("Leave the root's horizontal position (x, or x and y) out of the observation.")]
    public bool ExcludeCurrentPositionsFromObservation { get; init; } = true;
}

/// <summary>Locomotion options with a weight on the forward velocity.</summary>
public abstract record ForwardLocomotionOptions : LocomotionOptions
{
    /// <summary>Weight of the forward velocity in the reward.</summary>
    [Option("Weight of the forward velocity in the reward.")]
    public double ForwardRewardWeight { get; init; } = 1.0;
}

/// <summary>Options of the environments that can fall: a reward for staying healthy and a health check that may end the episode.</summary>
public abstract record HealthyLocomotionOptions : ForwardLocomotionOptions
{
    /// <summary>Reward for every healthy step.</summary>
    [Option("Reward for every healthy step.")]
    public double HealthyReward { get; init; } = 1.0;

    /// <summary>End the episode when the body becomes unhealthy.</summary>
    [Option("End the episode when the body becomes unhealthy.")]
    public bool TerminateWhenUnhealthy { get; init; } = true;

    /// <summary>Bounds on the torso height for health.</summary>
    [Option("Bounds (low, high) on the torso height for health.")]
    public double[] HealthyZRange { get; init; } = [];
}

/// <summary>Options of the planar walkers (Hopper, Walker2d), which also bound the torso angle.</summary>
public abstract record PlanarWalkerOptions : HealthyLocomotionOptions
{
    /// <summary>Open bounds on the torso angle for health.</summary>
    [Option("Open bounds (low, high) on the torso angle for health.")]
    public double[] HealthyAngleRange { get; init; } = [];

    /// <summary>Sets the defaults the planar walkers share (Gymnasium's).</summary>
    protected PlanarWalkerOptions()
    {
        CtrlCostWeight = 1e-3;
        ResetNoiseScale = 5e-3;
    }
}
