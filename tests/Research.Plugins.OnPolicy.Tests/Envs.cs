using Research.Abstractions.Options;

namespace Research.Plugins.OnPolicy.Tests;

/// <summary>Zoo settings shared by the tests.</summary>
internal static class Envs
{
    /// <summary>The zoo's PPO CartPole-v1 entry.</summary>
    public static PpoOptions ZooPpoCartPole(int seed) => new()
    {
        Seed = seed,
        NEnvs = 8,
        NSteps = 32,
        BatchSize = 256,
        GaeLambda = 0.8,
        Gamma = 0.98,
        NEpochs = 20,
        EntCoef = 0,
        LearningRate = Schedule.Linear(1e-3),
        ClipRange = Schedule.Linear(0.2),
    };
}
