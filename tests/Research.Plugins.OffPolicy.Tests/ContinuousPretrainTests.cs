using Research.Plugins.ClassicControl;
using Research.Plugins.Experts;
using Research.Rl.Evaluation;
using Research.Rl.Imitation;
using Research.Rl.Imitation.Pretraining;
using Research.Rl.Policies;
using Research.Rl.Wrappers;

namespace Research.Plugins.OffPolicy.Tests;

/// <summary>Stable-Baselines 2's <c>pretrain</c> for SAC, TD3 and DDPG: behaviour cloning into the actor, in environment units.</summary>
public class ContinuousPretrainTests
{
    private static NetArchOptions Arch(params int[] sizes) => new() { Pi = sizes, Vf = sizes, Qf = sizes };

    [Theory]
    [InlineData("SAC")]
    [InlineData("TD3")]
    [InlineData("DDPG")]
    public void Pretrain_clones_the_pendulum_expert_into_the_actor_and_learn_continues(string name)
    {
        var data = ExpertRecorder.Record(new PendulumEnergyExpert(), new TimeLimit(new PendulumEnv(), 200), new ExpertRecorderOptions { NEpisodes = 10, Seed = 0 });
        using var dataset = new ExpertDataset(data, new ExpertDatasetOptions { Verbose = 0, Seed = 0, BatchSize = 64 });
        using var env = ClassicControlVectorEnvs.Pendulum(1);
        using var algorithm = name switch
        {
            "SAC" => (Research.Abstractions.Algorithms.IAlgorithm)new Sac(env, new SacOptions { Seed = 0, LearningStarts = 50, PolicyKwargs = new SacOptions().PolicyKwargs with { NetArch = Arch(64, 64) } }),
            "TD3" => new Td3(env, new Td3Options { Seed = 0, LearningStarts = 50, PolicyKwargs = new Td3Options().PolicyKwargs with { NetArch = Arch(64, 64) } }),
            _ => new Ddpg(env, new DdpgOptions { Seed = 0, LearningStarts = 50, PolicyKwargs = new DdpgOptions().PolicyKwargs with { NetArch = Arch(64, 64) } }),
        };
        var critic = Weights(algorithm).Where(p => p.Key.StartsWith("critic", StringComparison.Ordinal)).ToDictionary();

        var epochs = Pretrain(algorithm, dataset);

        Assert.True(epochs[^1].TrainLoss < epochs[0].TrainLoss / 3, $"{name}: MSE {epochs[0].TrainLoss} → {epochs[^1].TrainLoss}");
        // The deterministic action now follows the expert's torque (in environment units, not [-1, 1]).
        double error = 0;
        var action = new float[1];
        for (int i = 0; i < data.Count; i += 7)
        {
            algorithm.Predict(data.Observations.AsSpan(i * 3, 3), action, deterministic: true);
            error += Math.Abs(action[0] - data.Actions[i]);
        }
        Assert.True(error / (data.Count / 7.0) < 0.6, $"{name}: mean |action − expert| {error / (data.Count / 7.0)}");
        // Only the actor learns; the critics (and targets) are untouched.
        foreach (var (key, values) in critic) Assert.Equal(values, Weights(algorithm)[key]);
        algorithm.Learn(120);
        Assert.Equal(120, algorithm.NumTimesteps);
    }

    private static IReadOnlyList<PretrainEpoch> Pretrain(Research.Abstractions.Algorithms.IAlgorithm algorithm, ExpertDataset dataset) => algorithm switch
    {
        Sac sac => sac.Pretrain(dataset, nEpochs: 15, learningRate: 3e-3),
        Td3 td3 => td3.Pretrain(dataset, nEpochs: 15, learningRate: 3e-3),
        Ddpg ddpg => ddpg.Pretrain(dataset, nEpochs: 15, learningRate: 3e-3),
        _ => throw new ArgumentException(algorithm.Name),
    };

    private static Dictionary<string, float[]> Weights(Research.Abstractions.Algorithms.IAlgorithm algorithm) => algorithm switch
    {
        Sac sac => sac.GetPolicy().GetWeights(),
        Td3 td3 => td3.GetPolicy().GetWeights(),
        Ddpg ddpg => ddpg.GetPolicy().GetWeights(),
        _ => throw new ArgumentException(algorithm.Name),
    };
}
