using Research.Plugins.MuJoCo.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.MuJoCo;

/// <summary>What Hopper-v4 and Walker2d-v4 share: Gymnasium's step, observation and reset of a planar body on a slider, x forward and z up.</summary>
/// <remarks>
/// Reward = w_fwd × Δx/dt + healthy_reward − w_ctrl × Σ a², with healthy_reward = w_healthy when healthy or when
/// unhealthy states end the episode, else 0. Observation: qpos[1:] (or all of qpos), clip(qvel, ±10). Reset: uniform noise
/// on qpos and qvel. The subclass decides what healthy means.
/// </remarks>
public abstract class PlanarWalkerEnv : MuJoCoEnv
{
    private readonly PlanarWalkerOptions _options;
    private readonly int _skip;

    /// <summary>Loads the model and reads the shared options.</summary>
    protected PlanarWalkerEnv(string id, string modelFile, PlanarWalkerOptions options, CameraDefaults camera)
        : base(id, modelFile, 4, options, camera, model => model.Nq + model.Nv - (options.ExcludeCurrentPositionsFromObservation ? 1 : 0))
    {
        _options = options;
        _skip = options.ExcludeCurrentPositionsFromObservation ? 1 : 0;
        ZRange = Range(id, "healthy_z_range", options.HealthyZRange);
        AngleRange = Range(id, "healthy_angle_range", options.HealthyAngleRange);
    }

    /// <summary>Gymnasium's <c>is_healthy</c>.</summary>
    public abstract bool IsHealthy { get; }

    /// <summary>The health bounds on the torso height.</summary>
    protected (double Low, double High) ZRange { get; }

    /// <summary>The health bounds on the torso angle.</summary>
    protected (double Low, double High) AngleRange { get; }

    protected override StepInfo StepInformation { get; } = new("x_position", "x_velocity");

    protected override void ResetModel(NumpyGenerator random) => ResetUniform(random, _options.ResetNoiseScale, _options.ResetNoiseScale);

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
        double healthyReward = HealthyReward(healthy, _options.TerminateWhenUnhealthy, _options.HealthyReward);
        WriteObservation(observation);
        terminated = _options.TerminateWhenUnhealthy && !healthy;
        StepInformation.Set(0, after);
        StepInformation.Set(1, velocity);
        return forwardReward + healthyReward - controlCost;
    }
}
