using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;
using Research.Rl.Algorithms;
using Research.Rl.VectorEnvs;

namespace Research.Plugins.OffPolicy;

/// <summary>
/// Twin Delayed DDPG (Fujimoto et al. 2018) as Stable-Baselines3 implements it: a deterministic tanh actor explored with action noise,
/// clipped double-Q critics, target policy smoothing and delayed actor and target updates.
/// </summary>
[Algorithm("TD3", Description = "Twin Delayed DDPG (clipped double Q, target smoothing, delayed actor), Stable-Baselines3's defaults.")]
public sealed class Td3 : DeterministicActorCriticAlgorithm<Td3Options>
{
    /// <summary>TD3 on <paramref name="env"/> (bounded Box actions).</summary>
    public Td3(IVectorEnv env, Td3Options options) : this(env, env.SingleObservationSpace, env.SingleActionSpace, options) { }

    private Td3(IVectorEnv? env, Space observationSpace, Space actionSpace, Td3Options options)
        : base("TD3", env, observationSpace, actionSpace, options, defaultCritics: 2) { }

    /// <summary>Loads a model saved by <see cref="AlgorithmBase{TOptions}.Save"/>; with <paramref name="env"/> training can continue (with an empty replay buffer).</summary>
    public static Td3 Load(string path, IVectorEnv? env = null) =>
        LoadModel(path, env, "TD3", (observation, action, options) => new Td3(null, observation, action, options));

    /// <inheritdoc />
    protected override int PolicyDelay => Options.PolicyDelay;

    /// <inheritdoc />
    protected override double TargetPolicyNoise => Options.TargetPolicyNoise;

    /// <inheritdoc />
    protected override double TargetNoiseClip => Options.TargetNoiseClip;
}
