using Research.Abstractions.Options;
using Research.Abstractions.Plugins;
using Research.Plugins.MuJoCo.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.MuJoCo;

/// <summary>Options of <see cref="HalfCheetahEnv"/> (Gymnasium's <c>HalfCheetahEnv.__init__</c> arguments).</summary>
public sealed record HalfCheetahOptions : MuJoCoEnvOptions
{
    /// <summary>Weight of the forward velocity in the reward.</summary>
    [Option("Weight of the forward velocity in the reward.")]
    public double ForwardRewardWeight { get; init; } = 1.0;

    /// <summary>Weight of the control cost.</summary>
    [Option("Weight of the control cost (sum of squared actions).")]
    public double CtrlCostWeight { get; init; } = 0.1;

    /// <summary>Scale of the reset noise on qpos (uniform) and qvel (normal).</summary>
    [Option("Scale of the reset noise: uniform on qpos, normal on qvel.", Min = 0)]
    public double ResetNoiseScale { get; init; } = 0.1;

    /// <summary>Leave the x position out of the observation.</summary>
    [Option("Leave the x position out of the observation.")]
    public bool ExcludeCurrentPositionsFromObservation { get; init; } = true;
}

/// <summary>Gymnasium's <c>HalfCheetah-v4</c>: a planar cheetah rewarded for running forward, penalised for control effort.</summary>
/// <remarks>Reward = w_fwd × Δx/dt − w_ctrl × Σ a²; never terminates. Observation: qpos[1:] (or all of qpos), qvel.</remarks>
[Environment("HalfCheetah-v4", MaxEpisodeSteps = 1000, RewardThreshold = 4800, Description = "MuJoCo planar cheetah running forward (Gymnasium v4).")]
public sealed class HalfCheetahEnv : MuJoCoEnv
{
    private readonly HalfCheetahOptions _options;
    private readonly int _skip;
    private readonly double[] _qpos, _qvel;

    /// <summary>Creates the environment with Gymnasium's defaults.</summary>
    public HalfCheetahEnv() : this(new HalfCheetahOptions()) { }

    /// <summary>Creates the environment with the given options.</summary>
    public HalfCheetahEnv(HalfCheetahOptions options)
        : base("HalfCheetah-v4", "half_cheetah.xml", 5, options, new CameraDefaults(Distance: 4.0),
               model => model.Nq + model.Nv - (options.ExcludeCurrentPositionsFromObservation ? 1 : 0))
    {
        _options = options;
        _skip = options.ExcludeCurrentPositionsFromObservation ? 1 : 0;
        _qpos = new double[Model.Nq];
        _qvel = new double[Model.Nv];
    }

    /// <summary>The options this environment was made with.</summary>
    public HalfCheetahOptions Options => _options;

    protected override StepInfo StepInformation { get; } = new("x_position", "x_velocity", "reward_run", "reward_ctrl");

    protected override void ResetModel(NumpyGenerator random)
    {
        double scale = _options.ResetNoiseScale;
        random.Uniform(-scale, scale, _qpos);
        for (int i = 0; i < _qpos.Length; i++) _qpos[i] = InitQpos[i] + _qpos[i];
        random.StandardNormal(_qvel);
        for (int i = 0; i < _qvel.Length; i++) _qvel[i] = InitQvel[i] + scale * _qvel[i];
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
        double before = Data.Qpos[0];
        DoSimulation(action);
        double after = Data.Qpos[0];
        double velocity = (after - before) / Dt;
        double controlCost = ControlCost(_options.CtrlCostWeight, action);
        double forwardReward = _options.ForwardRewardWeight * velocity;
        WriteObservation(observation);
        StepInformation.Set(0, after);
        StepInformation.Set(1, velocity);
        StepInformation.Set(2, forwardReward);
        StepInformation.Set(3, -controlCost);
        terminated = false;
        return forwardReward - controlCost;
    }
}
