using Research.Abstractions.Spaces;
using Research.Tensors;
using Research.Tensors.Distributions;
using Research.Tensors.Memory;

namespace Research.Rl.Policies;

/// <summary>
/// What SAC's and TD3's policies share (Stable-Baselines' <c>SACPolicy</c> / <c>TD3Policy</c>): an actor acting in [−1, 1] that
/// <see cref="ActionScaling"/> maps onto the bounded Box, a <see cref="ContinuousCritic"/> (<c>critic</c>) and its Polyak-averaged copy
/// (<c>critic_target</c>). Prediction returns environment actions; collection asks for scaled ones (<see cref="PredictScaled"/>).
/// </summary>
public abstract class OffPolicyActorCriticPolicy : PolicyBase
{
    private TargetNetworkUpdate? _criticUpdate;

    /// <summary>Sets up the action scaling; the subclass builds the actor, then calls <see cref="AddCritics"/>.</summary>
    protected OffPolicyActorCriticPolicy(Space observationSpace, Space actionSpace, PolicyOptions options, Generator generator, string algorithm)
        : base(observationSpace, actionSpace, options, generator, algorithm)
    {
        Scaling = new ActionScaling(actionSpace, algorithm);
        Algorithm = algorithm;
    }

    /// <summary>Maps [−1, 1] onto the action space's bounds.</summary>
    public ActionScaling Scaling { get; }

    /// <summary>The Q-networks trained on the replay buffer.</summary>
    public ContinuousCritic Critic { get; private set; } = null!;

    /// <summary>The slowly following copy the targets are computed with.</summary>
    public ContinuousCritic CriticTarget { get; private set; } = null!;

    /// <summary>The algorithm's name, for errors.</summary>
    protected string Algorithm { get; }

    /// <summary>The critic's trainable parameters (without a feature extractor shared with the actor, which the actor's loss trains).</summary>
    public IReadOnlyList<Tensor> CriticParameters() =>
        Critic.NamedParameters().Where(p => !Critic.SharesFeatures || !p.Key.StartsWith("features_extractor.", StringComparison.Ordinal)).Select(p => p.Value).ToList();

    /// <summary>Moves <c>critic_target</c> towards <c>critic</c> (SB3's <c>polyak_update</c>).</summary>
    public void UpdateCriticTarget(double tau) => _criticUpdate!.Polyak(tau);

    /// <summary>Builds <c>critic</c> and <c>critic_target</c> with <paramref name="count"/> Q-networks each; with <paramref name="sharedFeatures"/> the critic uses that extractor.</summary>
    protected void AddCritics(int count, FeatureExtractor? sharedFeatures, FeatureExtractor? sharedTargetFeatures = null)
    {
        int actions = ActionSpace.FlatSize;
        Critic = RegisterModule("critic", new ContinuousCritic(sharedFeatures ?? CreateExtractor(ObservationSpace, Options, Generator), sharedFeatures is not null,
            actions, Options.NetArch.Qf, Options.ActivationFn, Generator, count, Options.LayerNorm));
        CriticTarget = RegisterModule("critic_target", new ContinuousCritic(sharedTargetFeatures ?? CreateExtractor(ObservationSpace, Options, Generator),
            sharedTargetFeatures is not null, actions, Options.NetArch.Qf, Options.ActivationFn, Generator, count, Options.LayerNorm));
        CriticTarget.LoadStateDict(Critic.StateDict());
        CriticTarget.Eval();
        _criticUpdate = new TargetNetworkUpdate(Critic, CriticTarget);
    }

    /// <summary>The deterministic actions in [−1, 1], <c>[batch, actions]</c>, for preprocessed observations (differentiable).</summary>
    public abstract Tensor ScaledMode(Tensor observations);

    /// <summary>Writes actions in [−1, 1] for preprocessed observations (inside the caller's scope, without gradients).</summary>
    protected abstract void WriteScaledActions(Tensor observations, int batch, bool deterministic, Span<float> scaled);

    /// <summary>Actions in [−1, 1] for <paramref name="batch"/> raw observations, as collection stores them; allocates nothing after warm-up.</summary>
    public void PredictScaled(ReadOnlySpan<float> observations, int batch, Span<float> scaled, bool deterministic)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        WriteScaledActions(Preprocess(observations, batch), batch, deterministic, scaled);
    }

    /// <summary>The environment action of the deterministic actor (what behaviour cloning's mean squared error compares with the expert's).</summary>
    public override Tensor ActionParameters(Tensor observations) => Scaling.Unscale(ScaledMode(observations));

    /// <inheritdoc />
    public override IDistribution ActionDistribution(Tensor observations) =>
        throw new NotSupportedException($"{Algorithm}'s actor has no action distribution to clone by likelihood; pretrain it with the mean squared error loss.");

    /// <inheritdoc />
    protected override void WriteActions(Tensor observations, int batch, bool deterministic, Span<float> actions)
    {
        WriteScaledActions(observations, batch, deterministic, actions);
        Scaling.Unscale(actions, actions);
    }

    /// <inheritdoc />
    protected override void WriteProbabilities(Tensor observations, int batch, Span<float> destination) =>
        throw new NotSupportedException($"{Algorithm} has no action probabilities to report (its actions are squashed into the bounds); use Predict.");
}
