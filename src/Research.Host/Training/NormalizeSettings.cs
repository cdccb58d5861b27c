using Research.Abstractions.Options;
using Research.Rl.VectorEnvs;

namespace Research.Host.Training;

/// <summary>The zoo's <c>normalize</c> key as an options record: <c>true</c>, or a map such as <c>{'norm_obs': True, 'norm_reward': False}</c>.</summary>
public sealed record NormalizeSettings
{
    /// <summary>Normalize observations.</summary>
    [Option("Normalize observations by their running mean and variance.")]
    public bool NormObs { get; init; } = true;

    /// <summary>Scale rewards by the spread of the discounted return.</summary>
    [Option("Scale rewards by the standard deviation of the discounted return.")]
    public bool NormReward { get; init; } = true;

    /// <summary>Normalized observations are clipped to ±this.</summary>
    [Option("Clip normalized observations to ±this.", Min = 0)]
    public double ClipObs { get; init; } = 10.0;

    /// <summary>Scaled rewards are clipped to ±this.</summary>
    [Option("Clip scaled rewards to ±this.", Min = 0)]
    public double ClipReward { get; init; } = 10.0;

    /// <summary>Discount of the return whose spread scales rewards; null takes the algorithm's gamma (as the zoo does).</summary>
    [Option("Discount of the normalized return (empty: the algorithm's gamma).", Min = 0, Max = 1)]
    public double? Gamma { get; init; }

    /// <summary>Added to variances before the square root.</summary>
    [Option("Added to variances before the square root.", Min = 0)]
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>The <see cref="VecNormalize"/> options, with <paramref name="algorithmGamma"/> when no gamma was given.</summary>
    public VecNormalizeOptions ToOptions(double algorithmGamma) =>
        new(Training: true, NormObs: NormObs, NormReward: NormReward, ClipObs: ClipObs, ClipReward: ClipReward,
            Gamma: Gamma ?? algorithmGamma, Epsilon: Epsilon);
}
