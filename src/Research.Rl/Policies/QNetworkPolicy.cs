using Research.Abstractions.Spaces;
using Research.Rl.Algorithms;
using Research.Tensors;
using Research.Tensors.Nn;

namespace Research.Rl.Policies;

/// <summary>
/// Stable-Baselines' <c>DQNPolicy</c>: an online Q-network (<c>q_net</c>) and its target copy (<c>q_net_target</c>), parameter
/// names as in SB3's state dict. The action parameters are the Q-values, so deterministic prediction is <c>argmax Q</c>.
/// </summary>
public sealed class QNetworkPolicy : PolicyBase
{
    private readonly TargetNetworkUpdate _target;

    /// <summary>Builds both networks (the target starts as a copy of the online one); <paramref name="algorithm"/> names the caller in errors.</summary>
    public QNetworkPolicy(Space observationSpace, Space actionSpace, PolicyOptions options, Generator generator, string algorithm)
        : base(observationSpace, actionSpace, options, generator, algorithm)
    {
        if (actionSpace is not Discrete discrete) throw SpaceSupport.Unsupported(algorithm, actionSpace, "action");
        QNet = RegisterModule("q_net", new QNetwork(CreateExtractor(observationSpace, options, generator), discrete.N, options.NetArch.Qf, options.ActivationFn, generator));
        QNetTarget = RegisterModule("q_net_target", new QNetwork(CreateExtractor(observationSpace, options, generator), discrete.N, options.NetArch.Qf, options.ActivationFn, generator));
        QNetTarget.LoadStateDict(QNet.StateDict());
        QNetTarget.Eval();
        _target = new TargetNetworkUpdate(QNet, QNetTarget);
    }

    /// <summary>The trained network.</summary>
    public QNetwork QNet { get; }

    /// <summary>The network the targets are computed with.</summary>
    public QNetwork QNetTarget { get; }

    /// <inheritdoc />
    public override Tensor ActionParameters(Tensor observations) => QNet.Forward(observations);

    /// <summary>
    /// Moves the target towards the online network, <c>target ← (1 − τ)·target + τ·online</c> in float32 as SB3's <c>polyak_update</c>;
    /// τ = 1 copies exactly. Buffers (none in MLPs) are always copied.
    /// </summary>
    public void UpdateTarget(double tau) => _target.Polyak(tau);
}
