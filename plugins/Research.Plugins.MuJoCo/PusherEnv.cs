using Research.Abstractions.Plugins;
using Research.Plugins.MuJoCo.Native;
using Research.Plugins.MuJoCo.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.MuJoCo;

/// <summary>Gymnasium's <c>Pusher-v4</c>: a seven-joint arm pushing a cylinder to a goal.</summary>
/// <remarks>
/// Reward (of the state before the action) = −‖object − goal‖ + 0.1 × (−Σ a²) + 0.5 × (−‖object − fingertip‖). Never
/// terminates. Observation: qpos[:7], qvel[:7], the positions of the fingertip, the object and the goal (23). Reset: the
/// object uniformly in [−0.3, 0] × [−0.2, 0.2] until it is more than 0.17 from the goal at the origin.
/// </remarks>
[Environment("Pusher-v4", MaxEpisodeSteps = 100, RewardThreshold = 0, Description = "MuJoCo seven-joint arm pushing an object to a goal (Gymnasium v4).")]
public sealed class PusherEnv : MuJoCoEnv
{
    private readonly int _tipsArm, _object, _goal;
    private readonly double[] _qpos, _qvel;

    /// <summary>Creates the environment with Gymnasium's defaults.</summary>
    public PusherEnv() : this(new MuJoCoEnvOptions()) { }

    /// <summary>Creates the environment with the given rendering options.</summary>
    public PusherEnv(MuJoCoEnvOptions options)
        : base("Pusher-v4", "pusher.xml", 5, options, new CameraDefaults(TrackBodyId: -1, Distance: 4.0), _ => 7 + 7 + 3 + 3 + 3)
    {
        _tipsArm = Model.RequireId(MjObject.Body, "tips_arm");
        _object = Model.RequireId(MjObject.Body, "object");
        _goal = Model.RequireId(MjObject.Body, "goal");
        _qpos = new double[Model.Nq];
        _qvel = new double[Model.Nv];
    }

    protected override StepInfo StepInformation { get; } = new("reward_dist", "reward_ctrl");

    protected override void ResetModel(NumpyGenerator random)
    {
        // Gymnasium aliases init_qpos here and overwrites the same four entries on every reset, so copying changes nothing.
        InitQpos.CopyTo(_qpos, 0);
        Span<double> cylinder = stackalloc double[2];
        do
        {
            cylinder[0] = random.Uniform(-0.3, 0);
            cylinder[1] = random.Uniform(-0.2, 0.2);
        }
        while (!(NumpyArithmetic.Norm(cylinder) > 0.17));
        int n = _qpos.Length;
        _qpos[n - 4] = cylinder[0];
        _qpos[n - 3] = cylinder[1];
        _qpos[n - 2] = 0;
        _qpos[n - 1] = 0;
        DrawAround(random, InitQvel, 0.005, _qvel);
        _qvel.AsSpan(_qvel.Length - 4).Clear();
        SetState(_qpos, _qvel);
    }

    protected override void WriteObservation(Span<float> observation)
    {
        int at = 0;
        Observations.Put(observation, ref at, Data.Qpos[..7]);
        Observations.Put(observation, ref at, Data.Qvel[..7]);
        Observations.Put(observation, ref at, BodyPosition(_tipsArm));
        Observations.Put(observation, ref at, BodyPosition(_object));
        Observations.Put(observation, ref at, BodyPosition(_goal));
    }

    protected override double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated)
    {
        Span<double> toFingertip = stackalloc double[3], toGoal = stackalloc double[3];
        var objectPosition = BodyPosition(_object);
        var fingertip = BodyPosition(_tipsArm);
        var goal = BodyPosition(_goal);
        for (int i = 0; i < 3; i++)
        {
            toFingertip[i] = objectPosition[i] - fingertip[i];
            toGoal[i] = objectPosition[i] - goal[i];
        }
        double nearReward = -NumpyArithmetic.Norm(toFingertip);
        double distanceReward = -NumpyArithmetic.Norm(toGoal);
        float controlReward = -NumpyArithmetic.SumOfSquares(action);
        double reward = distanceReward + 0.1 * controlReward + 0.5 * nearReward;
        DoSimulation(action);
        WriteObservation(observation);
        StepInformation.Set(0, distanceReward);
        StepInformation.Set(1, controlReward);
        terminated = false;
        return reward;
    }
}
