using Research.Abstractions.Plugins;
using Research.Plugins.MuJoCo.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.MuJoCo;

/// <summary>Gymnasium's <c>InvertedPendulum-v4</c>: balance a pole on a cart; +1 per step until the pole leans past 0.2 rad.</summary>
/// <remarks>Terminates when an observation value is not finite or |qpos[1]| &gt; 0.2. Observation: qpos, qvel (4).</remarks>
[Environment("InvertedPendulum-v4", MaxEpisodeSteps = 1000, RewardThreshold = 950, Description = "MuJoCo cart-pole balancing (Gymnasium v4).")]
public sealed class InvertedPendulumEnv : MuJoCoEnv
{
    /// <summary>Creates the environment with Gymnasium's defaults.</summary>
    public InvertedPendulumEnv() : this(new MuJoCoEnvOptions()) { }

    /// <summary>Creates the environment with the given rendering options.</summary>
    public InvertedPendulumEnv(MuJoCoEnvOptions options)
        : base("InvertedPendulum-v4", "inverted_pendulum.xml", 2, options, new CameraDefaults(TrackBodyId: 0, Distance: 2.04), model => model.Nq + model.Nv)
    {
    }

    protected override void ResetModel(NumpyGenerator random) => ResetUniform(random, 0.01, 0.01);

    protected override void WriteObservation(Span<float> observation)
    {
        int at = 0;
        Observations.Put(observation, ref at, Data.Qpos);
        Observations.Put(observation, ref at, Data.Qvel);
    }

    protected override double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated)
    {
        DoSimulation(action);
        WriteObservation(observation);
        bool finite = true;
        foreach (double value in Data.Qpos) finite &= double.IsFinite(value);
        foreach (double value in Data.Qvel) finite &= double.IsFinite(value);
        terminated = !finite || Math.Abs(Data.Qpos[1]) > 0.2;
        return 1.0;
    }
}
