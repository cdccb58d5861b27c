using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;
using Research.Rl.Algorithms;
using Research.Rl.Interop.Sb3;
using Research.Rl.VectorEnvs;
using Research.Tensors;
using Research.Tensors.Memory;
using Research.Tensors.Optim;

namespace Research.Plugins.OnPolicy;

/// <summary>Advantage Actor-Critic (Mnih et al. 2016, synchronous) as Stable-Baselines implements it: one gradient step per short rollout, TF-like RMSprop.</summary>
[Algorithm("A2C", Description = "Advantage Actor-Critic (synchronous), Stable-Baselines' defaults.")]
public sealed class A2c : OnPolicyAlgorithm<A2cOptions>
{
    /// <summary>A2C on <paramref name="env"/>.</summary>
    public A2c(IVectorEnv env, A2cOptions options) : this(env, env.SingleObservationSpace, env.SingleActionSpace, options) { }

    private A2c(IVectorEnv? env, Space observationSpace, Space actionSpace, A2cOptions options)
        : base("A2C", env, observationSpace, actionSpace, options, (parameters, lr) => options.UseRmsProp
            ? new RmsPropTfLike(parameters, new RmsPropOptions(LearningRate: lr, Alpha: 0.99, Eps: options.RmsPropEps))
            : new Adam(parameters, new AdamOptions(LearningRate: lr))) { }

    /// <summary>Loads a model saved by <see cref="Rl.Algorithms.AlgorithmBase{TOptions}.Save"/>; with <paramref name="env"/> training can continue.</summary>
    public static A2c Load(string path, IVectorEnv? env = null) =>
        LoadModel(path, env, "A2C", (observation, action, options) => new A2c(null, observation, action, options));

    /// <summary>Loads a Stable-Baselines3 A2C model file (<c>model.save</c>'s zip): weights, options and optimizer state, so <c>Learn</c> continues.</summary>
    public static A2c LoadSb3(string path, IVectorEnv? env = null) => Sb3Import.Load(path, "A2C", converted => Load(converted, env));

    /// <inheritdoc />
    protected override List<KeyValuePair<string, double>> Update(double progressRemaining)
    {
        var rollout = Rollout;
        var policy = ActorCritic;
        int n = rollout.Size;
        float policyLossValue, valueLossValue, entropyLossValue;
        using (var scope = TensorScope.Begin())
        {
            var observations = policy.Preprocess(rollout.Observations, n);
            var actions = policy.Head.ActionTensor(rollout.Actions, n);
            var (distribution, values) = policy.Evaluate(observations);
            var logProb = distribution.LogProb(actions);
            var entropy = distribution.Entropy();
            var advantages = Tensor.Empty(n);
            AdvantageNormalization.Write(rollout.Advantages, Options.NormalizeAdvantage, advantages.AsSpan());
            var policyLoss = -(advantages * logProb).Mean();
            var valueLoss = Losses.Mse(values, Tensor.FromSpan(rollout.Returns, n));
            var entropyLoss = entropy is null ? logProb.Mean() : -entropy.Mean();
            var loss = policyLoss + entropyLoss * (float)Options.EntCoef + valueLoss * (float)Options.VfCoef;
            (policyLossValue, valueLossValue, entropyLossValue) = (policyLoss.Item(), valueLoss.Item(), entropyLoss.Item());
            EnsureFinite("policy_loss", policyLossValue);
            EnsureFinite("value_loss", valueLossValue);
            EnsureFinite("entropy_loss", entropyLossValue);
            Optimizer.ZeroGrad();
            loss.Backward();
        }
        GradClip.ClipGradNorm(Optimizer.Parameters, (float)Options.MaxGradNorm);
        Optimizer.Step();
        Updates++;
        return
        [
            new("explained_variance", ExplainedVariance()),
            new("entropy_loss", entropyLossValue),
            new("policy_loss", policyLossValue),
            new("value_loss", valueLossValue),
            new("n_updates", Updates),
        ];
    }
}
