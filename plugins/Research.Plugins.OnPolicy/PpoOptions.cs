using Research.Abstractions.Options;
using Research.Rl.Algorithms;

namespace Research.Plugins.OnPolicy;

/// <summary>PPO's hyperparameters with Stable-Baselines' defaults and names.</summary>
public sealed record PpoOptions : OnPolicyOptions
{
    /// <summary>Minibatch size.</summary>
    [Option("Minibatch size.", Min = 1)]
    public int BatchSize { get; init; } = 64;

    /// <summary>Passes over each rollout.</summary>
    [Option("Epochs of minibatch updates per rollout.", Min = 1)]
    public int NEpochs { get; init; } = 10;

    /// <summary>Surrogate clipping range, constant or <c>lin_X</c>.</summary>
    [Option("Clipping range of the probability ratio: a number or lin_<start>.", Min = 0)]
    public Schedule ClipRange { get; init; } = 0.2;

    /// <summary>Value clipping range (null: no value clipping).</summary>
    [Option("Clipping range of the value change (empty: none).", Min = 0)]
    public Schedule? ClipRangeVf { get; init; }

    /// <summary>Stops an iteration's epochs early when the approximate KL exceeds 1.5 × this (null: never).</summary>
    [Option("Target KL divergence for early stopping (empty: none).", Min = 0)]
    public double? TargetKl { get; init; }

    /// <summary>Adam's epsilon.</summary>
    [Option("Adam epsilon.", Min = 0)]
    public double AdamEps { get; init; } = 1e-5;
}

/// <summary>A2C's hyperparameters with Stable-Baselines' defaults and names.</summary>
public sealed record A2cOptions : OnPolicyOptions
{
    /// <summary>SB3's A2C defaults over the shared on-policy ones.</summary>
    public A2cOptions()
    {
        LearningRate = 7e-4;
        NSteps = 5;
        GaeLambda = 1.0;
        NormalizeAdvantage = false;
    }

    /// <summary>Use TF-like RMSprop (else Adam).</summary>
    [Option("RMSprop (TensorFlow-like, as SB3) instead of Adam.")]
    public bool UseRmsProp { get; init; } = true;

    /// <summary>RMSprop's epsilon.</summary>
    [Option("RMSprop epsilon (inside the square root).", Min = 0)]
    public double RmsPropEps { get; init; } = 1e-5;
}
