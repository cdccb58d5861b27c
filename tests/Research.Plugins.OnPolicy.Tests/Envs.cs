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

    /// <summary>The zoo's PPO Pendulum-v1 entry (use_sde, sde_sample_freq 4).</summary>
    public static PpoOptions ZooPpoPendulum(int seed) => new()
    {
        Seed = seed,
        NEnvs = 4,
        NSteps = 1024,
        GaeLambda = 0.95,
        Gamma = 0.9,
        NEpochs = 10,
        EntCoef = 0,
        LearningRate = 1e-3,
        ClipRange = 0.2,
        UseSde = true,
        SdeSampleFreq = 4,
    };
}
