using Research.Tensors;
using Research.Tensors.Nn;

namespace Research.Rl.Policies;

/// <summary>
/// Stable-Baselines' <c>ContinuousCritic</c>: <c>n_critics</c> Q-networks <c>qf0</c>, <c>qf1</c>, … each an MLP on the features
/// concatenated with the (scaled) action, giving Q(s, a) as <c>[batch, 1]</c>. With a shared feature extractor the features are
/// computed without gradient, so only the actor's loss trains the extractor.
/// </summary>
public sealed class ContinuousCritic : Module
{
    private readonly Mlp[] _networks;

    /// <summary>Builds the Q-networks on <paramref name="features"/> (the actor's, when <paramref name="shareFeatures"/>) and <paramref name="actions"/> action inputs.</summary>
    public ContinuousCritic(FeatureExtractor features, bool shareFeatures, int actions, IReadOnlyList<int> hidden, Activation activation,
        Generator generator, int count, bool layerNorm)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Features = RegisterModule("features_extractor", features);
        SharesFeatures = shareFeatures;
        _networks = new Mlp[count];
        for (int i = 0; i < count; i++)
            _networks[i] = RegisterModule($"qf{i}", new Mlp([features.FeaturesDim + actions, .. hidden, 1], activation, generator, layerNorm: layerNorm));
    }

    /// <summary>The feature extractor (the actor's own instance when shared).</summary>
    public FeatureExtractor Features { get; }

    /// <summary>Whether the feature extractor is the actor's.</summary>
    public bool SharesFeatures { get; }

    /// <summary>Number of Q-networks.</summary>
    public int Count => _networks.Length;

    /// <summary>The Q-network <c>qf{index}</c>.</summary>
    public Mlp this[int index] => _networks[index];

    /// <summary>The Q-networks' input <c>[batch, features + actions]</c> for preprocessed observations and scaled actions.</summary>
    public Tensor Input(Tensor observations, Tensor actions)
    {
        Tensor features;
        if (SharesFeatures)
        {
            using (Tensor.NoGrad()) features = Features.Forward(observations);
        }
        else
        {
            features = Features.Forward(observations);
        }
        return Tensor.Concat([features, actions], 1);
    }

    /// <summary>Q-values <c>[batch, 1]</c> of network <paramref name="index"/> for an input from <see cref="Input"/>.</summary>
    /// <remarks>
    /// With <paramref name="constantWeights"/> the network's parameters are treated as constants: the gradient reaches the input
    /// (the actor's action) but is not computed for the critic's weights — the actor's loss, whose critic gradients SB3 computes
    /// and then zeroes unused. The values and the input's gradient are the same bits either way.
    /// </remarks>
    public Tensor Q(int index, Tensor input, bool constantWeights = false)
    {
        if (!constantWeights) return _networks[index].Forward(input);
        var x = input;
        // Indexed, not foreach: enumerating the IReadOnlyList boxes its enumerator, 40 B per actor loss in the gradient loop.
        var layers = _networks[index].Layers;
        for (int i = 0; i < layers.Count; i++)
            x = layers[i] switch
            {
                Linear linear => Tensor.Linear(x, linear.Weight.Detach(), linear.Bias?.Detach()),
                LayerNorm norm => norm.ForwardWithConstantParameters(x),
                var layer => layer.Forward(x),
            };
        return x;
    }

    /// <summary>The smallest Q-value over the networks, <c>[batch, 1]</c> (clipped double Q); see <see cref="Q"/> for <paramref name="constantWeights"/>.</summary>
    public Tensor MinQ(Tensor input, bool constantWeights = false)
    {
        var q = Q(0, input, constantWeights);
        for (int i = 1; i < _networks.Length; i++) q = Tensor.Minimum(q, Q(i, input, constantWeights));
        return q;
    }
}
