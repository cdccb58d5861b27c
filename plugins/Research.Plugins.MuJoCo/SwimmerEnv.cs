using Research.Abstractions.Options;
using Research.Abstractions.Plugins;
using Research.Plugins.MuJoCo.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.MuJoCo;

/// <summary>Options of <see cref="SwimmerEnv"/> (Gymnasium's <c>SwimmerEnv.__init__</c> arguments).</summary>
public sealed record SwimmerOptions : MuJoCoEnvOptions
{
    /// <summary>Weight of the forward velocity in the reward.</summary>
    [Option("Weight of the forward velocity in the reward.")]
    public double ForwardRewardWeight { get; init; } = 1.0;

    /// <summary>Weight of the control cost.</summary>
    [Option("Weight of the control cost (sum of squared actions).")]
    public double CtrlCostWeight { get; init; } = 1e-4;

    /// <summary>Half-width of the uniform reset noise on qpos and qvel.</summary>
    [Option("Half-width of the uniform reset noise on qpos and qvel.", Min = 0)]
    public double ResetNoiseScale { get; init; } = 0.1;

    /// <summary>Leave the x and y position out of the observation.</summary>
    [Option("Leave the x and y position out of the observation.")]
    public bool ExcludeCurrentPositionsFromObservation { get; init; } = true;
}

/// <summary>Gymnasium's <c>Swimmer-v4</c>: a three-link swimmer in a viscous fluid rewarded for moving along x.</summary>
/// <remarks>Reward = w_fwd × Δx/dt − w_ctrl × Σ a²; never terminates. Observation: qpos[2:], qvel.</remarks>
[Environment("Swimmer-v4", MaxEpisodeSteps = 1000, RewardThreshold = 360, Description = "MuJoCo three-link swimmer (Gymnasium v4).")]
public sealed class SwimmerEnv : MuJoCoEnv
{
    private readonly SwimmerOptions _options;
    private readonly int _skip;
    private readonly double[] _qpos, _qvel;

    /// <summary>Creates the environment with Gymnasium's defaults.</summary>
    public SwimmerEnv() : this(new SwimmerOptions()) { }

    /// <summary>Creates the environment with the given options.</summary>
    public SwimmerEnv(SwimmerOptions options)
        : base("Swimmer-v4", "swimmer.xml", 4, options, CameraDefaults.None,
               model => model.Nq + model.Nv - (options.ExcludeCurrentPositionsFromObservation ? 2 : 0))
    {
        _options = options;
        _skip = options.ExcludeCurrentPositionsFromObservation ? 2 : 0;
        _qpos = new double[Model.Nq];
        _qvel = new double[Model.Nv];
    }

    /// <summary>The options this environment was made with.</summary>
    public SwimmerOptions Options => _options;

    protected override StepInfo StepInformation { get; } = new(
        "reward_fwd", "reward_ctrl", "x_position", "y_position", "distance_from_origin", "x_velocity", "y_velocity", "forward_reward");

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
        Observations.Put(observation, ref at, Data.Qvel);
    }

    protected override double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated)
    {
        double xBefore = Data.Qpos[0], yBefore = Data.Qpos[1];
        DoSimulation(action);
        double xAfter = Data.Qpos[0], yAfter = Data.Qpos[1];
        double xVelocity = (xAfter - xBefore) / Dt, yVelocity = (yAfter - yBefore) / Dt;
        double forwardReward = _options.ForwardRewardWeight * xVelocity;
        double controlCost = ControlCost(_options.CtrlCostWeight, action);
        WriteObservation(observation);
        var info = StepInformation;
        info.Set(0, forwardReward);
        info.Set(1, -controlCost);
        info.Set(2, xAfter);
        info.Set(3, yAfter);
        info.Set(4, NumpyArithmetic.Norm([xAfter, yAfter]));
        info.Set(5, xVelocity);
        info.Set(6, yVelocity);
        info.Set(7, forwardReward);
        terminated = false;
        return forwardReward - controlCost;
    }
}
