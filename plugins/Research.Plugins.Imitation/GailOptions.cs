using Research.Abstractions.Options;
using Research.Plugins.OnPolicy;
using Research.Tensors.Nn;

namespace Research.Plugins.Imitation;

/// <summary>How GAIL turns the discriminator's probability D(s, a) that a pair is the expert's into the generator's reward.</summary>
public enum DiscriminatorReward
{
    /// <summary><c>-log(1 - D)</c>, always positive (imitation's GAIL).</summary>
    NegLogOneMinusD,

    /// <summary><c>log D</c>, always negative (the original GAIL paper's cost, negated).</summary>
    LogD,

    /// <summary>The logit <c>log D - log(1 - D)</c> (AIRL's form).</summary>
    Logit,
}

/// <summary>GAIL's hyperparameters: the expert data, the discriminator, and the PPO generator's options nested under <c>ppo</c>.</summary>
public sealed record GailOptions : AlgorithmOptions, IDiscountedOptions
{
    /// <summary>The generator's discount.</summary>
    double IDiscountedOptions.Gamma => Ppo.Gamma;

    /// <summary>The expert archive.</summary>
    [Option("Expert data: an .npz with obs, actions, episode_starts, episode_returns (research expert record writes one).")]
    public string ExpertPath { get; init; } = "";

    /// <summary>Episodes used from the start of the data (−1: all).</summary>
    [Option("Expert episodes used from the start of the data (-1: all).", Min = -1)]
    public int TrajLimitation { get; init; } = -1;

    /// <summary>Adam's step size for the discriminator.</summary>
    [Option("Discriminator learning rate (Adam).", Min = 0)]
    public double DiscLearningRate { get; init; } = 1e-3;

    /// <summary>Discriminator minibatches per generator iteration.</summary>
    [Option("Discriminator minibatch updates per PPO iteration.", Min = 1)]
    public int DiscUpdatesPerRound { get; init; } = 4;

    /// <summary>Expert pairs per discriminator minibatch (as many generator pairs are added).</summary>
    [Option("Expert pairs per discriminator minibatch; as many generator pairs join them.", Min = 1)]
    public int DiscBatchSize { get; init; } = 128;

    /// <summary>Hidden layer sizes of the discriminator.</summary>
    [Option("Hidden layer sizes of the discriminator MLP.")]
    public int[] DiscNetArch { get; init; } = [32, 32];

    /// <summary>Activation of the discriminator's hidden layers.</summary>
    [Option("Activation of the discriminator's hidden layers.")]
    public Activation DiscActivationFn { get; init; } = Activation.Relu;

    /// <summary>The generator's reward.</summary>
    [Option("Generator reward from D = P(expert): neg_log_one_minus_d (-log(1-D)), log_d, logit.")]
    public DiscriminatorReward RewardForm { get; init; } = DiscriminatorReward.NegLogOneMinusD;

    /// <summary>The PPO generator's options (its seed, n_envs, verbose and total_timesteps come from GAIL's).</summary>
    [Option("PPO generator options (ppo.n_steps, ppo.ent_coef, ...); seed, n_envs, verbose and total_timesteps are GAIL's.")]
    public PpoOptions Ppo { get; init; } = new();
}
