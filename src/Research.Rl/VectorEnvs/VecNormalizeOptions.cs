namespace Research.Rl.VectorEnvs;

/// <summary>Settings of <see cref="VecNormalize"/>, with Stable-Baselines' defaults.</summary>
/// <param name="Training">Whether statistics are updated (false freezes them, e.g. for evaluation).</param>
/// <param name="NormObs">Normalize observations.</param>
/// <param name="NormReward">Scale rewards by the standard deviation of the discounted return.</param>
/// <param name="ClipObs">Normalized observations are clipped to ±this.</param>
/// <param name="ClipReward">Scaled rewards are clipped to ±this.</param>
/// <param name="Gamma">Discount of the return whose spread scales the rewards.</param>
/// <param name="Epsilon">Added to variances before the square root.</param>
/// <param name="NormObsKeys">For a DictSpace observation: the keys to normalize (all when null); each must be a Box.</param>
public sealed record VecNormalizeOptions(
    bool Training = true,
    bool NormObs = true,
    bool NormReward = true,
    double ClipObs = 10.0,
    double ClipReward = 10.0,
    double Gamma = 0.99,
    double Epsilon = 1e-8,
    IReadOnlyList<string>? NormObsKeys = null);
