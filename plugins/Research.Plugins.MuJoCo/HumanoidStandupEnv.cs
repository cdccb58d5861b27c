using Research.Abstractions.Plugins;
using Research.Plugins.MuJoCo.Rendering;
using Research.Rl.Seeding;

namespace Research.Plugins.MuJoCo;

/// <summary>Gymnasium's <c>HumanoidStandup-v4</c>: a humanoid lying on the ground rewarded for raising its torso.</summary>
/// <remarks>
/// Reward = qpos[2] / timestep − 0.1 × Σ ctrl² − min(0.5e-6 × Σ cfrc_ext², 10) + 1; never terminates. Observation as
/// Humanoid-v4 without the x and y position (376 values). Gymnasium's constructor takes only the rendering options.
/// </remarks>
[Environment("HumanoidStandup-v4", MaxEpisodeSteps = 1000, Description = "MuJoCo humanoid standing up from the ground (Gymnasium v4).")]
public sealed class HumanoidStandupEnv : MuJoCoEnv
{
    private const double NoiseScale = 0.01;
    /// <summary>Creates the environment with Gymnasium's defaults.</summary>
    public HumanoidStandupEnv() : this(new MuJoCoEnvOptions()) { }

    /// <summary>Creates the environment with the given rendering options.</summary>
    public HumanoidStandupEnv(MuJoCoEnvOptions options)
        : base("HumanoidStandup-v4", "humanoidstandup.xml", 5, options, new CameraDefaults(TrackBodyId: 1, Distance: 4.0, Lookat: [0.0, 0.0, 0.8925], Elevation: -20.0),
               model => HumanoidObservation.Size(model, excludePositions: true))
    {
    }

    protected override StepInfo StepInformation { get; } = new("reward_linup", "reward_quadctrl", "reward_impact");

    protected override void ResetModel(NumpyGenerator random) => ResetUniform(random, NoiseScale, NoiseScale);

    protected override void WriteObservation(Span<float> observation) => HumanoidObservation.Write(Data, 2, observation);

    protected override double Advance(ReadOnlySpan<float> action, Span<float> observation, out bool terminated)
    {
        DoSimulation(action);
        double height = Data.Qpos[2];
        double upwardReward = (height - 0) / Model.Timestep;
        double controlCost = 0.1 * NumpyArithmetic.SumOfSquares<double>(Data.Ctrl);
        double impactCost = Math.Min(0.5e-6 * NumpyArithmetic.SumOfSquares<double>(Data.CfrcExt), 10);
        WriteObservation(observation);
        StepInformation.Set(0, upwardReward);
        StepInformation.Set(1, -controlCost);
        StepInformation.Set(2, -impactCost);
        terminated = false;
        return upwardReward - controlCost - impactCost + 1;
    }
}
