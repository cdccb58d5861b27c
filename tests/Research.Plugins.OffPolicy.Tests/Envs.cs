using Research.Plugins.ClassicControl;
using Research.Rl.Evaluation;
using Research.Rl.Policies;
using Research.Rl.Wrappers;
using Research.Tensors.Nn;

namespace Research.Plugins.OffPolicy.Tests;

/// <summary>Zoo settings shared by the tests.</summary>
internal static class Envs
{
    /// <summary>The zoo's DQN CartPole-v1 entry.</summary>
    public static DqnOptions ZooDqnCartPole(int seed) => new()
    {
        Seed = seed,
        LearningRate = 2.3e-3,
        BatchSize = 64,
        BufferSize = 100_000,
        LearningStarts = 1000,
        Gamma = 0.99,
        TargetUpdateInterval = 10,
        TrainFreq = 256,
        GradientSteps = 128,
        ExplorationFraction = 0.16,
        ExplorationFinalEps = 0.04,
        PolicyKwargs = new PolicyOptions { ActivationFn = Activation.Relu, NetArch = new NetArchOptions { Qf = [256, 256] } },
    };

    /// <summary>The zoo's SAC Pendulum-v1 entry (learning rate 1e-3, SB3's defaults otherwise).</summary>
    public static SacOptions ZooSacPendulum(int seed) => new() { Seed = seed, LearningRate = 1e-3 };

    /// <summary>Mean deterministic return over 10 Pendulum-v1 episodes seeded from 1000.</summary>
    public static double EvaluatePendulum<TOptions>(Research.Rl.Algorithms.AlgorithmBase<TOptions> algorithm) where TOptions : Research.Abstractions.Options.AlgorithmOptions =>
        PolicyEvaluation.EvaluatePolicy(algorithm.Predict, new TimeLimit(new PendulumEnv(), 200), 10, deterministic: true, seed: 1000).MeanReward;

    /// <summary>Mean deterministic return over 10 CartPole-v1 episodes seeded from 1000.</summary>
    public static double EvaluateCartPole(Dqn dqn) =>
        PolicyEvaluation.EvaluatePolicy(dqn.Predict, new TimeLimit(new CartPoleEnv(), 500), 10, deterministic: true, seed: 1000).MeanReward;
}
