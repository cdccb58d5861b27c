using Research.Abstractions.Spaces;
using Research.Tensors;

namespace Research.Rl.Policies;

/// <summary>
/// Stable-Baselines3's <c>SACPolicy</c>: <c>actor</c> (<see cref="SacActor"/>), <c>critic</c> and <c>critic_target</c> with
/// <c>n_critics</c> Q-networks each; parameter names as SB3's state dict (<c>actor.latent_pi.0.weight</c>, <c>actor.mu.weight</c>,
/// <c>critic.qf0.0.weight</c>, <c>critic_target.qf1.4.bias</c>, …).
/// </summary>
public sealed class SacPolicy : OffPolicyActorCriticPolicy
{
    /// <summary>Builds the networks; <paramref name="useSde"/> selects gSDE exploration.</summary>
    public SacPolicy(Space observationSpace, Space actionSpace, PolicyOptions options, Generator generator, string algorithm, bool useSde)
        : base(observationSpace, actionSpace, options, generator, algorithm)
    {
        Actor = RegisterModule("actor", new SacActor(CreateExtractor(observationSpace, options, generator), actionSpace.FlatSize, options, generator, useSde));
        AddCritics(options.NCritics ?? 2, options.ShareFeaturesExtractor ? Actor.Features : null);
    }

    /// <summary>The squashed Gaussian actor.</summary>
    public SacActor Actor { get; }

    /// <summary>gSDE's <c>reset_noise</c>: new exploration matrices, one per environment.</summary>
    public void ResetNoise(int count) =>
        (Actor.Noise ?? throw new InvalidOperationException($"{Algorithm}: ResetNoise needs use_sde=true.")).Reset(count, Generator);

    /// <inheritdoc />
    public override Tensor ScaledMode(Tensor observations) => Actor.Forward(observations).Mean.Tanh();

    /// <inheritdoc />
    protected override void WriteScaledActions(Tensor observations, int batch, bool deterministic, Span<float> scaled) =>
        Actor.WriteActions(observations, batch, deterministic, Generator, scaled);

    /// <summary>SB3 redraws the exploration matrix after loading weights, so its scale follows the loaded <c>log_std</c>.</summary>
    protected override void OnWeightsLoaded() => Actor.Noise?.Reset(1, Generator);
}
