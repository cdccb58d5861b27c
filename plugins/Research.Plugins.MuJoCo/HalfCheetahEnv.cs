using Research.Abstractions.Plugins;
using Research.Plugins.MuJoCo.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.MuJoCo;

/// <summary>Options of <see cref="HalfCheetahEnv"/> (Gymnasium's <c>HalfCheetahEnv.__init__</c> arguments).</summary>
public sealed record HalfCheetahOptions : ForwardLocomotionOptions
{
    /// <summary>Gymnasium's defaults.</summary>
    public HalfCheetahOptions()
    {
        CtrlCostWeight = 0.1;
        ResetNoiseScale = 0.1;
    }
}

/// <summary>Gymnasium's <c>HalfCheetah-v4</c>: a planar cheetah rewarded for running forward, penalised for control effort.</summary>
/// <remarks>Reward = w_fwd × Δx/dt − w_ctrl × Σ a²; never terminates. Observation: qpos[1:] (or all of qpos), qvel. Reset: uniform noise on qpos, normal on qvel.</remarks>
[Environment("HalfCheetah-v4", MaxEpisodeSteps = 1000, RewardThreshold = 4800, Description = "MuJoCo planar cheetah running forward (Gymnasium v4).")]
public sealed class HalfCheetahEnv : MuJoCoEnv
{
    private readonly int _skip;

    /// <summary>Creates the environment with Gymnasium's defaults.</summary>
    public HalfCheetahEnv() : this(new HalfCheetahOptions()) { }

    /// <summary>Creates the environment with the given options.</summary>
    public HalfCheetahEnv(HalfCheetahOptions options)
        : base("HalfCheetah-v4", "half_cheetah.xml", 5, options, new CameraDefaults(Distance: 4.0),
               model => model.Nq + model.Nv - (options.ExcludeCurrentPositionsFromObservation ? 1 : 0))
    {
        Options = options;
        _skip = options.ExcludeCurrentPositionsFromObservation ? 1 : 0;
    }

    /// <summary>The options this environment was made with.</summary>
    public HalfCheetahOptions Options { get; }

    protected override StepInfo StepInformation { get; } = new("x_position", "x_velocity", "reward_run", "reward_ctrl");

    protected override void ResetModel(NumpyGenerator random) => ResetUniformThenNormal(random, Options.ResetNoiseScale, Options.ResetNoiseScale);

    protected override void WriteObservation(Span<float> observation)
    {
        int at = 0;
        Observations.Put(observation, ref at, Data.Qpos[_skip..]);
        Observations.Put(observation, ref at, Data.Qvel);
    }

    protected override double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated)
    {
        double before = Data.Qpos[0];
        DoSimulation(action);
        double after = Data.Qpos[0];
        double velocity = (after - before) / Dt;
        double controlCost = ControlCost(Options.CtrlCostWeight, action);
        double forwardReward = Options.ForwardRewardWeight * velocity;
        WriteObservation(observation);
        StepInformation.Set(0, after);
        StepInformation.Set(1, velocity);
        StepInformation.Set(2, forwardReward);
        StepInformation.Set(3, -controlCost);
        terminated = false;
        return forwardReward - controlCost;
    }
}
