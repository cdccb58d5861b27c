using Research.Abstractions.Options;
using Research.Rl.Algorithms;

namespace Research.Plugins.OffPolicy;

/// <summary>DQN's hyperparameters with Stable-Baselines' defaults and names (plus <c>double_q</c>).</summary>
public sealed record DqnOptions : OffPolicyOptions
{
    /// <summary>SB3's DQN defaults over the shared off-policy ones.</summary>
    public DqnOptions()
    {
        LearningRate = 1e-4;
        BatchSize = 32;
        Tau = 1.0;
        TrainFreq = 4;
    }

    /// <summary>Environment steps between target updates (counted as vector steps: every <c>max(interval / n_envs, 1)</c> of them).</summary>
    [Option("Environment steps between target network updates.", Min = 1)]
    public int TargetUpdateInterval { get; init; } = 10_000;

    /// <summary>Fraction of the training over which ε falls linearly from its initial to its final value.</summary>
    [Option("Fraction of training over which the exploration rate decays.", Min = 0, Max = 1)]
    public double ExplorationFraction { get; init; } = 0.1;

    /// <summary>ε at the start.</summary>
    [Option("Initial probability of a random action.", Min = 0, Max = 1)]
    public double ExplorationInitialEps { get; init; } = 1.0;

    /// <summary>ε after the decay.</summary>
    [Option("Final probability of a random action.", Min = 0, Max = 1)]
    public double ExplorationFinalEps { get; init; } = 0.05;

    /// <summary>Global gradient-norm clipping threshold.</summary>
    [Option("Maximum global gradient norm.", Min = 0)]
    public double MaxGradNorm { get; init; } = 10;

    /// <summary>Double DQN (van Hasselt et al. 2016): the online network picks the next action, the target network values it.</summary>
    [Option("Double DQN targets: the online network selects the next action, the target network evaluates it.")]
    public bool DoubleQ { get; init; }

    /// <summary>Adam's epsilon.</summary>
    [Option("Adam epsilon.", Min = 0)]
    public double AdamEps { get; init; } = 1e-8;

    /// <inheritdoc />
    /// <remarks>ε decays over <c>exploration_fraction</c> of the budget unless its initial and final values are equal.</remarks>
    public override IEnumerable<string> BudgetDependentOptions() => ExplorationInitialEps == ExplorationFinalEps
        ? base.BudgetDependentOptions()
        : base.BudgetDependentOptions().Append(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"exploration_fraction = {ExplorationFraction} (exploration from {ExplorationInitialEps} to {ExplorationFinalEps})"));
}
