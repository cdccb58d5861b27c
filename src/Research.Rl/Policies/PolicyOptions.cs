using Research.Abstractions.Options;
using Research.Tensors.Nn;

namespace Research.Rl.Policies;

/// <summary>Layer sizes of the policy's networks, Stable-Baselines' <c>net_arch</c>: <c>pi</c> (actor), <c>vf</c> (critic), <c>qf</c> (Q-network).</summary>
/// <remarks>A plain list (<c>net_arch=[64, 64]</c>) means the same sizes for every network; <see cref="PolicyKwargs.Normalize"/> expands it.</remarks>
public sealed record NetArchOptions
{
    /// <summary>Hidden layer sizes of the actor.</summary>
    [Option("Hidden layer sizes of the actor (policy) network.")]
    public int[] Pi { get; init; } = [64, 64];

    /// <summary>Hidden layer sizes of the critic.</summary>
    [Option("Hidden layer sizes of the critic (value) network.")]
    public int[] Vf { get; init; } = [64, 64];

    /// <summary>Hidden layer sizes of the Q-network.</summary>
    [Option("Hidden layer sizes of the Q-network.")]
    public int[] Qf { get; init; } = [64, 64];
}

/// <summary>Stable-Baselines' <c>policy_kwargs</c>: network sizes, activation and initialisation.</summary>
public sealed record PolicyOptions
{
    /// <summary>Hidden layer sizes.</summary>
    [Option("Hidden layer sizes: a list for every network, or pi/vf/qf lists.")]
    public NetArchOptions NetArch { get; init; } = new();

    /// <summary>Activation between hidden layers.</summary>
    [Option("Activation between hidden layers (tanh, relu, leaky_relu, elu, sigmoid, softplus).")]
    public Activation ActivationFn { get; init; } = Activation.Tanh;

    /// <summary>Orthogonal initialisation with Stable-Baselines' gains.</summary>
    [Option("Orthogonal initialisation (gains sqrt(2) hidden, 0.01 policy head, 1 value head).")]
    public bool OrthoInit { get; init; } = true;

    /// <summary>Initial log standard deviation of Gaussian actions.</summary>
    [Option("Initial log standard deviation of Gaussian (Box) actions.")]
    public double LogStdInit { get; init; }

    /// <summary>gSDE: one log std per latent feature and action (else one per latent feature).</summary>
    [Option("gSDE (use_sde): a log std per latent feature and action dimension; false shares one per latent feature.")]
    public bool FullStd { get; init; } = true;

    /// <summary>gSDE: expln instead of exp for the standard deviation.</summary>
    [Option("gSDE (use_sde): std = expln(log_std) (exp below 0, log1p + 1 above) instead of exp(log_std).")]
    public bool UseExpln { get; init; }

    /// <summary>gSDE: tanh-squashed actions; not built, so true is refused.</summary>
    [Option("gSDE (use_sde): tanh-squash actions. Not built here: only false is accepted.")]
    public bool SquashOutput { get; init; }

    /// <summary>Number of Q-networks of an off-policy actor-critic (SAC, TD3: 2, clipped double Q; DDPG: 1).</summary>
    [Option("SAC/TD3/DDPG: number of Q-networks in the critic (SAC and TD3 default 2, DDPG 1).", Min = 1)]
    public int? NCritics { get; init; }

    /// <summary>Whether the critic uses the actor's feature extractor (trained by the actor loss only) instead of its own.</summary>
    [Option("SAC/TD3/DDPG: the critic shares the actor's feature extractor (only image extractors have weights).")]
    public bool ShareFeaturesExtractor { get; init; }

    /// <summary>SAC with gSDE: the mean action is clipped to ±clip_mean before squashing (0 disables).</summary>
    [Option("SAC with use_sde: clip the mean action to [-clip_mean, clip_mean] before tanh (0: no clipping).", Min = 0)]
    public double ClipMean { get; init; } = 2.0;

    /// <summary>Layer normalisation after each hidden layer of the actor and the critic (Stable-Baselines 2's <c>LnMlpPolicy</c>).</summary>
    [Option("SAC/TD3/DDPG: layer normalisation after each hidden linear layer (Stable-Baselines 2's LnMlpPolicy; not perturbed by parameter noise).")]
    public bool LayerNorm { get; init; }

    /// <summary>Output size of the image feature extractor.</summary>
    [Option("Features produced by NatureCNN for image observations.", Min = 1)]
    public int FeaturesDim { get; init; } = 512;
}
