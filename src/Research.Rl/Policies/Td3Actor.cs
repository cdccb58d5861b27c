using Research.Tensors;
using Research.Tensors.Nn;

namespace Research.Rl.Policies;

/// <summary>
/// The deterministic actor of TD3 and DDPG as Stable-Baselines3 builds it: features → <c>mu</c>, an MLP ending in tanh, so actions
/// are in [−1, 1] (parameter names <c>mu.0.weight</c>, <c>mu.2.weight</c>, …).
/// </summary>
public sealed class Td3Actor : Layer
{
    /// <summary>Builds the actor for <paramref name="actions"/> action dimensions on <paramref name="features"/>.</summary>
    public Td3Actor(FeatureExtractor features, int actions, PolicyOptions options, Generator generator)
    {
        Features = RegisterModule("features_extractor", features);
        var mu = new Mlp([features.FeaturesDim, .. options.NetArch.Pi, actions], options.ActivationFn, generator, layerNorm: options.LayerNorm);
        mu.Add(ActivationLayer.Create(Activation.Tanh));
        Mu = RegisterModule("mu", mu);
        ActionDim = actions;
    }

    /// <summary>The feature extractor.</summary>
    public FeatureExtractor Features { get; }

    /// <summary>The network after the features.</summary>
    public Mlp Mu { get; }

    /// <summary>Action dimensions.</summary>
    public int ActionDim { get; }

    /// <summary>Actions in [−1, 1], <c>[batch, actions]</c>, for preprocessed observations.</summary>
    public override Tensor Forward(Tensor observations) => Mu.Forward(Features.Forward(observations));
}
