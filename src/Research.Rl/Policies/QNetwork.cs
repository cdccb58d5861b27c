using Research.Tensors;
using Research.Tensors.Nn;

namespace Research.Rl.Policies;

/// <summary>Stable-Baselines' <c>QNetwork</c>: a feature extractor then an MLP (<c>q_net</c>) giving one value per discrete action.</summary>
public sealed class QNetwork : Module
{
    private readonly FeatureExtractor _features;
    private readonly Mlp _net;

    /// <summary>Builds the MLP <c>features → hidden… → actions</c> with PyTorch's default initialisation.</summary>
    public QNetwork(FeatureExtractor features, int actions, IReadOnlyList<int> hidden, Activation activation, Generator generator)
    {
        _features = RegisterModule("features_extractor", features);
        _net = RegisterModule("q_net", new Mlp([features.FeaturesDim, .. hidden, actions], activation, generator));
    }

    /// <summary>Q-values <c>[batch, actions]</c> of preprocessed observations <c>[batch, inputs]</c>.</summary>
    public Tensor Forward(Tensor observations) => _net.Forward(_features.Forward(observations));
}
