using Research.Abstractions.Options;
using Research.Abstractions.Plugins;
using Research.Plugins.MuJoCo.Native;
using Research.Plugins.MuJoCo.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.MuJoCo;

/// <summary>Options of <see cref="AntEnv"/> (Gymnasium's <c>AntEnv.__init__</c> arguments; Ant has no forward-reward weight).</summary>
public sealed record AntOptions : LocomotionOptions
{
    /// <summary>Gymnasium's defaults.</summary>
    public AntOptions()
    {
        CtrlCostWeight = 0.5;
        ResetNoiseScale = 0.1;
    }

    /// <summary>The model file: a name in the plugin's assets, or a path starting with '.', '/' or '~'.</summary>
    [Option("Model file: a name in the plugin's assets, or a path starting with '.', '/' or '~'.")]
    public string XmlFile { get; init; } = "ant.xml";

    /// <summary>Add the clipped external contact forces to the observation and their cost to the reward.</summary>
    [Option("Add the clipped contact forces (cfrc_ext) to the observation and their cost to the reward.")]
    public bool UseContactForces { get; init; }

    /// <summary>Weight of the contact cost (with <see cref="UseContactForces"/>).</summary>
    [Option("Weight of the contact cost (with use_contact_forces).")]
    public double ContactCostWeight { get; init; } = 5e-4;

    /// <summary>Reward for every healthy step.</summary>
    [Option("Reward for every healthy step.")]
    public double HealthyReward { get; init; } = 1.0;

    /// <summary>End the episode when the ant becomes unhealthy.</summary>
    [Option("End the episode when the body becomes unhealthy.")]
    public bool TerminateWhenUnhealthy { get; init; } = true;

    /// <summary>Closed bounds on the torso height.</summary>
    [Option("Closed bounds (low, high) on the torso height for health.")]
    public double[] HealthyZRange { get; init; } = [0.2, 1.0];

    /// <summary>Bounds the contact forces are clipped to.</summary>
    [Option("Bounds (low, high) the contact forces are clipped to.")]
    public double[] ContactForceRange { get; init; } = [-1.0, 1.0];
}

/// <summary>Gymnasium's <c>Ant-v4</c>: a four-legged robot rewarded for moving along x while healthy.</summary>
/// <remarks>
/// Reward = Δx/dt of the torso + healthy_reward − w_ctrl × Σ a² (− w_contact × Σ clip(cfrc_ext)² with contact forces).
/// Healthy: every state element finite and the torso height in the closed z range. Observation: qpos[2:], qvel
/// (+ clipped cfrc_ext). As in Gymnasium, with contact forces the info's <c>reward_ctrl</c> holds the negated contact cost.
/// </remarks>
[Environment("Ant-v4", MaxEpisodeSteps = 1000, RewardThreshold = 6000, Description = "MuJoCo four-legged ant walking forward (Gymnasium v4).")]
public sealed class AntEnv : MuJoCoEnv
{
    private readonly AntOptions _options;
    private readonly (double Low, double High) _zRange, _contactRange;
    private readonly int _skip, _torso;

    /// <summary>Creates the environment with Gymnasium's defaults.</summary>
    public AntEnv() : this(new AntOptions()) { }

    /// <summary>Creates the environment with the given options.</summary>
    public AntEnv(AntOptions options)
        : base("Ant-v4", options.XmlFile, 5, options, new CameraDefaults(Distance: 4.0),
               model => model.Nq + model.Nv - (options.ExcludeCurrentPositionsFromObservation ? 2 : 0) + (options.UseContactForces ? model.Nbody * 6 : 0))
    {
        _options = options;
        _zRange = Range(Id, "healthy_z_range", options.HealthyZRange);
        _contactRange = Range(Id, "contact_force_range", options.ContactForceRange);
        _skip = options.ExcludeCurrentPositionsFromObservation ? 2 : 0;
        _torso = Model.RequireId(MjObject.Body, "torso");
    }

    /// <summary>The options this environment was made with.</summary>
    public AntOptions Options => _options;

    protected override StepInfo StepInformation { get; } = new(
        "reward_forward", "reward_ctrl", "reward_survive", "x_position", "y_position", "distance_from_origin", "x_velocity", "y_velocity", "forward_reward");

    /// <summary>Gymnasium's <c>is_healthy</c>: the state is finite and the torso height (qpos[2]) is within the closed z range.</summary>
    public bool IsHealthy
    {
        get
        {
            foreach (double value in Data.Qpos)
                if (!double.IsFinite(value)) return false;
            foreach (double value in Data.Qvel)
                if (!double.IsFinite(value)) return false;
            double z = Data.Qpos[2];
            return _zRange.Low <= z && z <= _zRange.High;
        }
    }

    /// <summary>Gymnasium's <c>contact_cost</c>: w × Σ clip(cfrc_ext, range)².</summary>
    public double ContactCost => _options.ContactCostWeight * NumpyArithmetic.SumOfClippedSquares(Data.CfrcExt, _contactRange.Low, _contactRange.High);

    protected override void ResetModel(NumpyGenerator random) => ResetUniformThenNormal(random, _options.ResetNoiseScale, _options.ResetNoiseScale);

    protected override void WriteObservation(Span<float> observation)
    {
        int at = 0;
        Observations.Put(observation, ref at, Data.Qpos[_skip..]);
        Observations.Put(observation, ref at, Data.Qvel);
        if (_options.UseContactForces) Observations.PutClipped(observation, ref at, Data.CfrcExt, _contactRange.Low, _contactRange.High);
    }

    protected override double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated)
    {
        var torso = BodyPosition(_torso);
        double xBefore = torso[0], yBefore = torso[1];
        DoSimulation(action);
        torso = BodyPosition(_torso);
        double xAfter = torso[0], yAfter = torso[1];
        double xVelocity = (xAfter - xBefore) / Dt, yVelocity = (yAfter - yBefore) / Dt;
        double forwardReward = xVelocity;
        bool healthy = IsHealthy;
        double healthyReward = HealthyReward(healthy, _options.TerminateWhenUnhealthy, _options.HealthyReward);
        double rewards = forwardReward + healthyReward;
        double controlCost = ControlCost(_options.CtrlCostWeight, action);
        double costs = controlCost;
        terminated = _options.TerminateWhenUnhealthy && !healthy;
        WriteObservation(observation);
        var info = StepInformation;
        info.Set(0, forwardReward);
        info.Set(1, -controlCost);
        info.Set(2, healthyReward);
        SetMotion(info, 3, xAfter, yAfter, xVelocity, yVelocity, forwardReward);
        if (_options.UseContactForces)
        {
            double contactCost = ContactCost;
            costs += contactCost;
            info.Set(1, -contactCost);
        }
        return rewards - costs;
    }
}
