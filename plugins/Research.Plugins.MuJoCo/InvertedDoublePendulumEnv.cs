using Research.Abstractions.Plugins;
using Research.Plugins.MuJoCo.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.MuJoCo;

/// <summary>Gymnasium's <c>InvertedDoublePendulum-v4</c>: balance two stacked poles on a cart.</summary>
/// <remarks>
/// Reward = 10 − (0.01·x² + (y − 2)²) − (1e-3·v1² + 5e-3·v2²), where (x, y) is the tip site and v1, v2 the joint
/// velocities (powers through the C library's <c>pow</c>, as NumPy's scalar <c>**</c>); terminates when y ≤ 1. Observation:
/// cart position, sin and cos of the joint angles, clip(qvel, ±10), clip(qfrc_constraint, ±10) (11).
/// </remarks>
[Environment("InvertedDoublePendulum-v4", MaxEpisodeSteps = 1000, RewardThreshold = 9100, Description = "MuJoCo double pendulum on a cart (Gymnasium v4).")]
public sealed class InvertedDoublePendulumEnv : MuJoCoEnv
{
    /// <summary>Creates the environment with Gymnasium's defaults.</summary>
    public InvertedDoublePendulumEnv() : this(new MuJoCoEnvOptions()) { }

    /// <summary>Creates the environment with the given rendering options.</summary>
    public InvertedDoublePendulumEnv(MuJoCoEnvOptions options)
        : base("InvertedDoublePendulum-v4", "inverted_double_pendulum.xml", 5, options,
               new CameraDefaults(TrackBodyId: 0, Distance: 4.1225, Lookat: [0.0, 0.0, 0.12250000000000005]),
               model => 1 + 2 * (model.Nq - 1) + model.Nv + model.Nv)
    {
    }

    protected override void ResetModel(NumpyGenerator random) => ResetUniformThenNormal(random, 0.1, 0.1);

    protected override void WriteObservation(Span<float> observation)
    {
        var qpos = Data.Qpos;
        int at = 0;
        Observations.Put(observation, ref at, qpos[0]);
        for (int i = 1; i < qpos.Length; i++) Observations.Put(observation, ref at, Math.Sin(qpos[i]));
        for (int i = 1; i < qpos.Length; i++) Observations.Put(observation, ref at, Math.Cos(qpos[i]));
        Observations.PutClipped(observation, ref at, Data.Qvel, -10, 10);
        Observations.PutClipped(observation, ref at, Data.QfrcConstraint, -10, 10);
    }

    protected override double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated)
    {
        DoSimulation(action);
        WriteObservation(observation);
        var tip = Data.SiteXpos;
        double x = tip[0], y = tip[2];
        double distancePenalty = 0.01 * Math.Pow(x, 2) + Math.Pow(y - 2, 2);
        double v1 = Data.Qvel[1], v2 = Data.Qvel[2];
        double velocityPenalty = 1e-3 * Math.Pow(v1, 2) + 5e-3 * Math.Pow(v2, 2);
        terminated = y <= 1;
        return 10 - distancePenalty - velocityPenalty;
    }
}
