using Research.Abstractions.Options;

namespace Research.Rl.Algorithms;

/// <summary>The action noise of the zoo's <c>noise_type</c>.</summary>
public enum ActionNoiseType
{
    /// <summary>No action noise.</summary>
    None,

    /// <summary>Independent Gaussian noise per step (<c>NormalActionNoise</c>).</summary>
    Normal,

    /// <summary>A temporally correlated Ornstein–Uhlenbeck process, reset at episode ends (<c>OrnsteinUhlenbeckActionNoise</c>).</summary>
    OrnsteinUhlenbeck,
}

/// <summary>Hyperparameters of the off-policy actor-critics for Box actions (SAC, TD3, DDPG): the shared off-policy ones plus action noise, in the zoo's spelling.</summary>
public record ContinuousOffPolicyOptions : OffPolicyOptions
{
    /// <summary>Action noise added to the scaled action before it is clipped to [−1, 1] (the zoo's <c>noise_type</c>).</summary>
    [Option("Action noise: none, normal or ornstein-uhlenbeck (the zoo's noise_type); added to the action in [-1, 1], then clipped.")]
    public ActionNoiseType NoiseType { get; init; } = ActionNoiseType.None;

    /// <summary>Standard deviation (σ) of the action noise in every dimension (the zoo's <c>noise_std</c>).</summary>
    [Option("Standard deviation of the action noise per dimension (the zoo's noise_std).", Min = 0)]
    public double NoiseStd { get; init; } = 0.1;

    /// <summary>Ornstein–Uhlenbeck mean reversion θ.</summary>
    [Option("Ornstein-Uhlenbeck noise: rate of mean reversion (theta).", Min = 0)]
    public double NoiseTheta { get; init; } = 0.15;

    /// <summary>Ornstein–Uhlenbeck time step.</summary>
    [Option("Ornstein-Uhlenbeck noise: time step (dt).", Min = 0)]
    public double NoiseDt { get; init; } = 1e-2;
}
