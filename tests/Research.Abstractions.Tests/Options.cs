using Research.Abstractions.Options;

namespace Research.Abstractions.Tests;

public enum Activation { Tanh, ReLU, LeakyRelu }

public sealed record PolicyOptions
{
    [Option("Hidden layer sizes.")]
    public int[] NetArch { get; init; } = [64, 64];

    [Option("Activation between layers.")]
    public Activation ActivationFn { get; init; } = Activation.Tanh;

    [Option("Initial log standard deviation.", Min = -20, Max = 2)]
    public double LogStdInit { get; init; }
}

/// <summary>Options shaped like PPO's, one of each kind the binder handles.</summary>
public sealed record PpoLikeOptions : AlgorithmOptions
{
    [Option("Step size.", Min = 0)]
    public Schedule LearningRate { get; init; } = 3e-4;

    [Option("Discount factor.", Min = 0, Max = 1)]
    public double Gamma { get; init; } = 0.99;

    [Option("Steps per environment per rollout.", Min = 1)]
    public int NSteps { get; init; } = 2048;

    [Option("Replay buffer size.")]
    public long BufferSize { get; init; } = 1_000_000;

    [Option("Normalize advantages.")]
    public bool NormalizeAdvantage { get; init; } = true;

    [Option("KL target; empty for none.")]
    public float? TargetKl { get; init; }

    [Option("Device name.")]
    public string Device { get; init; } = "cpu";

    [Option("Evaluation seeds.")]
    public List<int> EvalSeeds { get; init; } = [1, 2];

    [Option("Policy network.")]
    public PolicyOptions PolicyKwargs { get; init; } = new();
}
