using Research.Abstractions.Plugins;
using Research.Plugins.MuJoCo.Native;
using Research.Plugins.MuJoCo.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.MuJoCo;

/// <summary>Options of <see cref="HumanoidEnv"/> (Gymnasium's <c>HumanoidEnv.__init__</c> arguments).</summary>
public sealed record HumanoidOptions : HealthyLocomotionOptions
{
    /// <summary>Gymnasium's defaults.</summary>
    public HumanoidOptions()
    {
        ForwardRewardWeight = 1.25;
        CtrlCostWeight = 0.1;
        HealthyReward = 5.0;
        HealthyZRange = [1.0, 2.0];
        ResetNoiseScale = 1e-2;
    }
}

/// <summary>Gymnasium's <c>Humanoid-v4</c>: a 3-D humanoid rewarded for moving its centre of mass forward while standing.</summary>
/// <remarks>
/// Reward = w_fwd × Δ(mass-weighted com x)/dt + healthy_reward − w_ctrl × Σ ctrl². Healthy: torso height in the open z range.
/// Observation: qpos[2:], qvel, cinert, cvel, qfrc_actuator, cfrc_ext (376 values).
/// </remarks>
[Environment("Humanoid-v4", MaxEpisodeSteps = 1000, Description = "MuJoCo 3-D humanoid walking forward (Gymnasium v4).")]
public sealed class HumanoidEnv : MuJoCoEnv
{
    private readonly HumanoidOptions _options;
    private readonly (double Low, double High) _zRange;
    private readonly int _skip;

    /// <summary>Creates the environment with Gymnasium's defaults.</summary>
    public HumanoidEnv() : this(new HumanoidOptions()) { }

    /// <summary>Creates the environment with the given options.</summary>
    public HumanoidEnv(HumanoidOptions options)
        : base("Humanoid-v4", "humanoid.xml", 5, options, new CameraDefaults(TrackBodyId: 1, Distance: 4.0, Lookat: [0.0, 0.0, 2.0], Elevation: -20.0),
               model => HumanoidObservation.Size(model, options.ExcludeCurrentPositionsFromObservation))
    {
        _options = options;
        _zRange = Range(Id, "healthy_z_range", options.HealthyZRange);
        _skip = options.ExcludeCurrentPositionsFromObservation ? 2 : 0;
    }

    /// <summary>The options this environment was made with.</summary>
    public HumanoidOptions Options => _options;

    protected override StepInfo StepInformation { get; } = new(
        "reward_linvel", "reward_quadctrl", "reward_alive", "x_position", "y_position", "distance_from_origin", "x_velocity", "y_velocity", "forward_reward");

    /// <summary>Gymnasium's <c>is_healthy</c>: the torso height (qpos[2]) in the open z range.</summary>
    public bool IsHealthy => _zRange.Low < Data.Qpos[2] && Data.Qpos[2] < _zRange.High;

    protected override void ResetModel(NumpyGenerator random) => ResetUniform(random, _options.ResetNoiseScale, _options.ResetNoiseScale);

    protected override void WriteObservation(Span<float> observation) => HumanoidObservation.Write(Data, _skip, observation);

    protected override double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated)
    {
        var (xBefore, yBefore) = MassCenter(Model, Data);
        DoSimulation(action);
        var (xAfter, yAfter) = MassCenter(Model, Data);
        double xVelocity = (xAfter - xBefore) / Dt, yVelocity = (yAfter - yBefore) / Dt;
        double controlCost = _options.CtrlCostWeight * NumpyArithmetic.SumOfSquares<double>(Data.Ctrl);
        double forwardReward = _options.ForwardRewardWeight * xVelocity;
        bool healthy = IsHealthy;
        double healthyReward = HealthyReward(healthy, _options.TerminateWhenUnhealthy, _options.HealthyReward);
        double rewards = forwardReward + healthyReward;
        WriteObservation(observation);
        terminated = _options.TerminateWhenUnhealthy && !healthy;
        var info = StepInformation;
        info.Set(0, forwardReward);
        info.Set(1, -controlCost);
        info.Set(2, healthyReward);
        SetMotion(info, 3, xAfter, yAfter, xVelocity, yVelocity, forwardReward);
        return rewards - controlCost;
    }

    /// <summary>Gymnasium's <c>mass_center</c>: (Σ mᵢ·xiposᵢ) / Σ mᵢ, x and y. The weighted sum runs body by body (NumPy's axis-0 sum); the masses are summed pairwise.</summary>
    public static (double X, double Y) MassCenter(MjModel model, MjData data)
    {
        var mass = model.BodyMass;
        var xipos = data.Xipos;
        double x = 0, y = 0;
        for (int body = 0; body < mass.Length; body++)
        {
            x += mass[body] * xipos[body * 3];
            y += mass[body] * xipos[body * 3 + 1];
        }
        double total = NumpyArithmetic.Sum(mass);
        return (x / total, y / total);
    }
}

/// <summary>The observation of Humanoid-v4 and HumanoidStandup-v4: qpos (from <c>skip</c>), qvel, cinert, cvel, qfrc_actuator, cfrc_ext.</summary>
internal static class HumanoidObservation
{
    public static int Size(MjModel model, bool excludePositions) =>
        model.Nq - (excludePositions ? 2 : 0) + model.Nv + model.Nbody * 10 + model.Nbody * 6 + model.Nv + model.Nbody * 6;

    public static void Write(MjData data, int skip, Span<float> observation)
    {
        int at = 0;
        Observations.Put(observation, ref at, data.Qpos[skip..]);
        Observations.Put(observation, ref at, data.Qvel);
        Observations.Put(observation, ref at, data.Cinert);
        Observations.Put(observation, ref at, data.Cvel);
        Observations.Put(observation, ref at, data.QfrcActuator);
        Observations.Put(observation, ref at, data.CfrcExt);
    }
}
