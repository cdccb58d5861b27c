using Research.Abstractions.Options;
using Research.Rl.Policies;

namespace Research.Rl.Algorithms;

/// <summary>Hyperparameters shared by the on-policy algorithms (Stable-Baselines' <c>OnPolicyAlgorithm</c> arguments).</summary>
public record OnPolicyOptions : AlgorithmOptions, IDiscountedOptions
{
    /// <summary>Optimizer step size, constant or <c>lin_X</c>.</summary>
    [Option("Learning rate: a number or lin_<start> (linear to 0).", Min = 0)]
    public Schedule LearningRate { get; init; } = 3e-4;

    /// <summary>Steps collected per environment per iteration.</summary>
    [Option("Steps per environment per rollout.", Min = 1)]
    public int NSteps { get; init; } = 2048;

    /// <summary>Discount factor.</summary>
    [Option("Discount factor.", Min = 0, Max = 1)]
    public double Gamma { get; init; } = 0.99;

    /// <summary>GAE's λ (1 gives Monte-Carlo advantages).</summary>
    [Option("Generalized advantage estimation lambda.", Min = 0, Max = 1)]
    public double GaeLambda { get; init; } = 0.95;

    /// <summary>Weight of the entropy bonus.</summary>
    [Option("Entropy coefficient.")]
    public double EntCoef { get; init; }

    /// <summary>Weight of the value loss.</summary>
    [Option("Value-function coefficient.", Min = 0)]
    public double VfCoef { get; init; } = 0.5;

    /// <summary>Global gradient-norm clipping threshold.</summary>
    [Option("Maximum global gradient norm.", Min = 0)]
    public double MaxGradNorm { get; init; } = 0.5;

    /// <summary>Normalize advantages (per minibatch).</summary>
    [Option("Normalize advantages per minibatch.")]
    public bool NormalizeAdvantage { get; init; } = true;

    /// <summary>Generalized state-dependent exploration for Box actions (SB3's <c>use_sde</c>).</summary>
    [Option("Generalized state-dependent exploration (gSDE) instead of independent Gaussian noise; Box actions only.")]
    public bool UseSde { get; init; }

    /// <summary>With gSDE, new exploration matrices every this many steps (−1 or 0: only at the start of each rollout).</summary>
    [Option("With use_sde: sample new exploration matrices every n steps (-1: only at the start of each rollout).", Min = -1)]
    public int SdeSampleFreq { get; init; } = -1;

    /// <summary>Network architecture and initialisation.</summary>
    [Option("Policy network settings (net_arch, activation_fn, ortho_init, log_std_init, full_std, use_expln).")]
    public PolicyOptions PolicyKwargs { get; init; } = new();
}
