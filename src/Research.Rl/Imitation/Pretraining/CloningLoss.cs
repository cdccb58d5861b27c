namespace Research.Rl.Imitation.Pretraining;

/// <summary>What behaviour cloning minimises between the policy and the expert's actions.</summary>
public enum CloningLoss
{
    /// <summary>Mean squared error for Box actions (Stable-Baselines' <c>pretrain</c>), negative log-likelihood otherwise.</summary>
    Auto,

    /// <summary>Negative log-likelihood of the expert action under the policy's distribution (cross-entropy for Discrete).</summary>
    NegativeLogLikelihood,

    /// <summary>Mean squared error between the deterministic action (the Gaussian mean) and the expert action; Box only.</summary>
    MeanSquaredError,
}
