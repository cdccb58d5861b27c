using Research.Abstractions.Plugins;
using Research.Plugins.MuJoCo.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.MuJoCo;

/// <summary>Options of <see cref="SwimmerEnv"/> (Gymnasium's <c>SwimmerEnv.__init__</c> arguments).</summary>
public sealed record SwimmerOptions : ForwardLocomotionOptions
{
    /// <summary>Gymnasium's defaults.</summary>
    public SwimmerOptions()
    {
        CtrlCostWeight = 1e-4;
        ResetNoiseScale = 0.1;
    }
}

/// <summary>Gymnasium's <c>Swimmer-v4</c>: a three-link swimmer in a viscous fluid rewarded for moving along x.</summary>
/// <remarks>Reward = w_fwd × Δx/dt − w_ctrl × Σ a²; never terminates. Observation: qpos[2:] (or all of qpos), qvel.</remarks>
[Environment("Swimmer-v4", MaxEpisodeSteps = 1000, RewardThreshold = 360, Description = "MuJoCo three-link swimmer (Gymnasium v4).")]
public sealed class SwimmerEnv : MuJoCoEnv
{
    private readonly int _skip;

    /// <summary>Creates the environment with Gymnasium's defaults.</summary>
    public SwimmerEnv() : this(new SwimmerOptions()) { }

    /// <summary>Creates the environment with the given options.</summary>
    public SwimmerEnv(SwimmerOptions options)
        : base("Swimmer-v4", "swimmer.xml", 4, options, CameraDefaults.None,
               model => model.Nq + model.Nv - (options.ExcludeCurrentPositionsFromObservation ? 2 : 0))
    {
        Options = options;
        _skip = options.ExcludeCurrentPositionsFromObservation ? 2 : 0;
    }

    /// <summary>The options this environment was made with.</summary>
    public SwimmerOptions Options { get; }

    protected override StepInfo StepInformation { get; } = new(
        "reward_fwd", "reward_ctrl", "x_position", "y_position", "distance_from_origin", "x_velocity", "y_velocity", "forward_reward");

    protected override void ResetModel(NumpyGenerator random) => ResetUniform(random, Options.ResetNoiseScale, Options.ResetNoiseScale);

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
        double forwardReward = Options.ForwardRewardWeight * xVelocity;
        double controlCost = ControlCost(Options.CtrlCostWeight, action);
        WriteObservation(observation);
        StepInformation.Set(0, forwardReward);
        StepInformation.Set(1, -controlCost);
        SetMotion(StepInformation, 2, xAfter, yAfter, xVelocity, yVelocity, forwardReward);
        terminated = false;
        return forwardReward - controlCost;
    }
}
