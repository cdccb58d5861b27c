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
    private readonly Tensor[] _online, _target;
    private readonly int _parameterCount;

    /// <summary>Builds both networks (the target starts as a copy of the online one); <paramref name="algorithm"/> names the caller in errors.</summary>
    public QNetworkPolicy(Space observationSpace, Space actionSpace, PolicyOptions options, Generator generator, string algorithm)
        : base(observationSpace, actionSpace, options, generator, algorithm)
    {
        if (actionSpace is not Discrete discrete) throw SpaceSupport.Unsupported(algorithm, actionSpace, "action");
        QNet = RegisterModule("q_net", new QNetwork(CreateExtractor(observationSpace, options, generator), discrete.N, options.NetArch.Qf, options.ActivationFn, generator));
        QNetTarget = RegisterModule("q_net_target", new QNetwork(CreateExtractor(observationSpace, options, generator), discrete.N, options.NetArch.Qf, options.ActivationFn, generator));
        QNetTarget.LoadStateDict(QNet.StateDict());
        QNetTarget.Eval();
        _parameterCount = QNet.NamedParameters().Count();
        _online = [.. QNet.NamedParameters().Concat(QNet.NamedBuffers()).Select(p => p.Value)];
        _target = [.. QNetTarget.NamedParameters().Concat(QNetTarget.NamedBuffers()).Select(p => p.Value)];
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
    public void UpdateTarget(double tau)
    {
        // Python computes 1 − τ in double; PyTorch then applies both factors in float32.
        float keep = (float)(1 - tau), weight = (float)tau;
        for (int i = 0; i < _online.Length; i++)
        {
            var source = _online[i].AsSpan();
            var destination = _target[i].AsSpan();
            if (tau == 1 || i >= _parameterCount)
            {
                source.CopyTo(destination);
                continue;
            }
            for (int k = 0; k < destination.Length; k++) destination[k] = destination[k] * keep + weight * source[k];
        }
    }
}
