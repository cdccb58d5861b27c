using Research.Abstractions.Plugins;
using Research.Plugins.MuJoCo.Native;
using Research.Plugins.MuJoCo.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.MuJoCo;

/// <summary>Gymnasium's <c>Reacher-v4</c>: a two-joint arm reaching for a random target.</summary>
/// <remarks>
/// Reward (of the state before the action) = −‖fingertip − target‖ − Σ a² (the squares summed in float32). Never terminates.
/// Observation: cos and sin of the two joint angles, the target position, the joint velocities, fingertip − target (11).
/// Reset: joints uniform in ±0.1, a target drawn uniformly in the 0.2 square until it lies inside the 0.2 circle.
/// </remarks>
[Environment("Reacher-v4", MaxEpisodeSteps = 50, RewardThreshold = -3.75, Description = "MuJoCo two-joint arm reaching a target (Gymnasium v4).")]
public sealed class ReacherEnv : MuJoCoEnv
{
    private readonly int _fingertip, _target;
    private readonly double[] _qpos, _qvel;

    /// <summary>Creates the environment with Gymnasium's defaults.</summary>
    public ReacherEnv() : this(new MuJoCoEnvOptions()) { }

    /// <summary>Creates the environment with the given rendering options.</summary>
    public ReacherEnv(MuJoCoEnvOptions options)
        : base("Reacher-v4", "reacher.xml", 2, options, new CameraDefaults(TrackBodyId: 0), model => 2 + 2 + (model.Nq - 2) + 2 + 3)
    {
        _fingertip = Model.RequireId(MjObject.Body, "fingertip");
        _target = Model.RequireId(MjObject.Body, "target");
        _qpos = new double[Model.Nq];
        _qvel = new double[Model.Nv];
    }

    protected override StepInfo StepInformation { get; } = new("reward_dist", "reward_ctrl");

    protected override void ResetModel(NumpyGenerator random)
    {
        DrawAround(random, InitQpos, 0.1, _qpos);
        Span<double> goal = stackalloc double[2];
        do random.Uniform(-0.2, 0.2, goal);
        while (!(NumpyArithmetic.Norm(goal) < 0.2));
        goal.CopyTo(_qpos.AsSpan(_qpos.Length - 2));
        DrawAround(random, InitQvel, 0.005, _qvel);
        _qvel.AsSpan(_qvel.Length - 2).Clear();
        SetState(_qpos, _qvel);
    }

    protected override void WriteObservation(Span<float> observation)
    {
        var qpos = Data.Qpos;
        int at = 0;
        Observations.Put(observation, ref at, Math.Cos(qpos[0]));
        Observations.Put(observation, ref at, Math.Cos(qpos[1]));
        Observations.Put(observation, ref at, Math.Sin(qpos[0]));
        Observations.Put(observation, ref at, Math.Sin(qpos[1]));
        Observations.Put(observation, ref at, qpos[2..]);
        Observations.Put(observation, ref at, Data.Qvel[..2]);
        Span<double> difference = stackalloc double[3];
        FingertipToTarget(difference);
        Observations.Put(observation, ref at, difference);
    }

    protected override double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated)
    {
        Span<double> difference = stackalloc double[3];
        FingertipToTarget(difference);
        double distanceReward = -NumpyArithmetic.Norm(difference);
        float controlReward = -NumpyArithmetic.SumOfSquares(action);
        double reward = distanceReward + controlReward;
        DoSimulation(action);
        WriteObservation(observation);
        StepInformation.Set(0, distanceReward);
        StepInformation.Set(1, controlReward);
        terminated = false;
        return reward;
    }

    private void FingertipToTarget(Span<double> difference)
    {
        var fingertip = BodyPosition(_fingertip);
        var target = BodyPosition(_target);
        for (int i = 0; i < 3; i++) difference[i] = fingertip[i] - target[i];
    }
}
