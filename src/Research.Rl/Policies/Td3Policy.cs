using Research.Abstractions.Spaces;
using Research.Tensors;

namespace Research.Rl.Policies;

/// <summary>
/// Stable-Baselines3's <c>TD3Policy</c> (also DDPG's): <c>actor</c> and <c>actor_target</c> (<see cref="Td3Actor"/>), <c>critic</c> and
/// <c>critic_target</c>; parameter names as SB3's state dict (<c>actor.mu.0.weight</c>, <c>actor_target.mu.4.bias</c>, <c>critic.qf0.0.weight</c>, …).
/// </summary>
public sealed class Td3Policy : OffPolicyActorCriticPolicy
{
    private readonly TargetNetworkUpdate _actorUpdate;

    /// <summary>Builds the networks with <paramref name="defaultCritics"/> Q-networks unless <c>policy_kwargs.n_critics</c> says otherwise.</summary>
    public Td3Policy(Space observationSpace, Space actionSpace, PolicyOptions options, Generator generator, string algorithm, int defaultCritics)
        : base(observationSpace, actionSpace, options, generator, algorithm)
    {
        int actions = actionSpace.FlatSize;
        Actor = RegisterModule("actor", new Td3Actor(CreateExtractor(observationSpace, options, generator), actions, options, generator));
        ActorTarget = RegisterModule("actor_target", new Td3Actor(CreateExtractor(observationSpace, options, generator), actions, options, generator));
        ActorTarget.LoadStateDict(Actor.StateDict());
        ActorTarget.Eval();
        _actorUpdate = new TargetNetworkUpdate(Actor, ActorTarget);
        AddCritics(options.NCritics ?? defaultCritics,
            options.ShareFeaturesExtractor ? Actor.Features : null, options.ShareFeaturesExtractor ? ActorTarget.Features : null);
    }

    /// <summary>The deterministic actor.</summary>
    public Td3Actor Actor { get; }

    /// <summary>The slowly following copy the target actions are computed with.</summary>
    public Td3Actor ActorTarget { get; }

    /// <summary>A new actor with the actor's architecture and weights, not part of this policy (parameter noise's perturbed copies).</summary>
    public Td3Actor CreateActorCopy()
    {
        var copy = new Td3Actor(CreateExtractor(ObservationSpace, Options, Generator), ActionSpace.FlatSize, Options, Generator);
        copy.LoadStateDict(Actor.StateDict());
        return copy;
    }

    /// <summary>Moves <c>actor_target</c> towards <c>actor</c> (SB3's <c>polyak_update</c>).</summary>
    public void UpdateActorTarget(double tau) => _actorUpdate.Polyak(tau);

    /// <inheritdoc />
    public override Tensor ScaledMode(Tensor observations) => Actor.Forward(observations);

    /// <inheritdoc />
    protected override void WriteScaledActions(Tensor observations, int batch, bool deterministic, Span<float> scaled) =>
        Actor.Forward(observations).Contiguous().AsSpan().CopyTo(scaled);
}
