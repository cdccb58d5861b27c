using Research.Abstractions.Options;
using Research.Abstractions.Plugins;
using Research.Plugins.MuJoCo.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.MuJoCo;

/// <summary>Options of <see cref="Walker2dEnv"/> (Gymnasium's <c>Walker2dEnv.__init__</c> arguments).</summary>
public sealed record Walker2dOptions : MuJoCoEnvOptions
{
    /// <summary>Weight of the forward velocity in the reward.</summary>
    [Option("Weight of the forward velocity in the reward.")]
    public double ForwardRewardWeight { get; init; } = 1.0;

    /// <summary>Weight of the control cost.</summary>
    [Option("Weight of the control cost (sum of squared actions).")]
    public double CtrlCostWeight { get; init; } = 1e-3;

    /// <summary>Reward for every step the walker is healthy.</summary>
    [Option("Reward for every healthy step.")]
    public double HealthyReward { get; init; } = 1.0;

    /// <summary>End the episode when the walker becomes unhealthy.</summary>
    [Option("End the episode when the walker becomes unhealthy.")]
    public bool TerminateWhenUnhealthy { get; init; } = true;

    /// <summary>Open bounds on the torso height.</summary>
    [Option("Open bounds (low, high) on the torso height for health.")]
    public double[] HealthyZRange { get; init; } = [0.8, 2.0];

    /// <summary>Open bounds on the torso angle.</summary>
    [Option("Open bounds (low, high) on the torso angle for health.")]
    public double[] HealthyAngleRange { get; init; } = [-1.0, 1.0];

    /// <summary>Half-width of the uniform reset noise on qpos and qvel.</summary>
    [Option("Half-width of the uniform reset noise on qpos and qvel.", Min = 0)]
    public double ResetNoiseScale { get; init; } = 5e-3;

    /// <summary>Leave the x position out of the observation.</summary>
    [Option("Leave the x position out of the observation.")]
    public bool ExcludeCurrentPositionsFromObservation { get; init; } = true;
}

/// <summary>Gymnasium's <c>Walker2d-v4</c>: a two-legged planar walker rewarded for moving forward while healthy.</summary>
/// <remarks>
/// Reward = w_fwd × Δx/dt + healthy_reward − w_ctrl × Σ a². Healthy: the height inside the z range and the angle inside
/// the angle range (open intervals). Observation: qpos[1:], clip(qvel, ±10).
/// </remarks>
[Environment("Walker2d-v4", MaxEpisodeSteps = 1000, Description = "MuJoCo two-legged planar walker (Gymnasium v4).")]
public sealed class Walker2dEnv : MuJoCoEnv
{
    private readonly Walker2dOptions _options;
    private readonly (double Low, double High) _zRange, _angleRange;
    private readonly int _skip;
    private readonly double[] _qpos, _qvel;

    /// <summary>Creates the environment with Gymnasium's defaults.</summary>
    public Walker2dEnv() : this(new Walker2dOptions()) { }

    /// <summary>Creates the environment with the given options.</summary>
    public Walker2dEnv(Walker2dOptions options)
        : base("Walker2d-v4", "walker2d.xml", 4, options, new CameraDefaults(TrackBodyId: 2, Distance: 4.0, Lookat: [0.0, 0.0, 1.15], Elevation: -20.0),
               model => model.Nq + model.Nv - (options.ExcludeCurrentPositionsFromObservation ? 1 : 0))
    {
        _options = options;
        _zRange = Range(Id, "healthy_z_range", options.HealthyZRange);
        _angleRange = Range(Id, "healthy_angle_range", options.HealthyAngleRange);
        _skip = options.ExcludeCurrentPositionsFromObservation ? 1 : 0;
        _qpos = new double[Model.Nq];
        _qvel = new double[Model.Nv];
    }

    /// <summary>The options this environment was made with.</summary>
    public Walker2dOptions Options => _options;

    protected override StepInfo StepInformation { get; } = new("x_position", "x_velocity");

    /// <summary>Gymnasium's <c>is_healthy</c>.</summary>
    public bool IsHealthy
    {
        get
        {
            var qpos = Data.Qpos;
            double z = qpos[1], angle = qpos[2];
            return _zRange.Low < z && z < _zRange.High && _angleRange.Low < angle && angle < _angleRange.High;
        }
    }

    protected override void ResetModel(NumpyGenerator random)
    {
        double scale = _options.ResetNoiseScale;
        random.Uniform(-scale, scale, _qpos);
        for (int i = 0; i < _qpos.Length; i++) _qpos[i] = InitQpos[i] + _qpos[i];
        random.Uniform(-scale, scale, _qvel);
        for (int i = 0; i < _qvel.Length; i++) _qvel[i] = InitQvel[i] + _qvel[i];
        SetState(_qpos, _qvel);
    }

    protected override void WriteObservation(Span<float> observation)
    {
        int at = 0;
        Observations.Put(observation, ref at, Data.Qpos[_skip..]);
        Observations.PutClipped(observation, ref at, Data.Qvel, -10, 10);
    }

    protected override double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated)
    {
        double before = Data.Qpos[0];
        DoSimulation(action);
        double after = Data.Qpos[0];
        double velocity = (after - before) / Dt;
        double controlCost = ControlCost(_options.CtrlCostWeight, action);
        double forwardReward = _options.ForwardRewardWeight * velocity;
        bool healthy = IsHealthy;
        double healthyReward = (healthy || _options.TerminateWhenUnhealthy ? 1.0 : 0.0) * _options.HealthyReward;
        WriteObservation(observation);
        terminated = _options.TerminateWhenUnhealthy && !healthy;
        StepInformation.Set(0, after);
        StepInformation.Set(1, velocity);
        return forwardReward + healthyReward - controlCost;
    }
}
