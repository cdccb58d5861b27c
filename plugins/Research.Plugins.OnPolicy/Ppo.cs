using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;
using Research.Rl.Algorithms;
using Research.Rl.Interop.Sb3;
using Research.Rl.Buffers;
using Research.Rl.VectorEnvs;
using Research.Tensors;
using Research.Tensors.Memory;
using Research.Tensors.Optim;

namespace Research.Plugins.OnPolicy;

/// <summary>Proximal Policy Optimization (Schulman et al. 2017) as Stable-Baselines implements it: clipped surrogate, optional value clipping, per-minibatch advantage normalization, entropy bonus, target-KL early stop.</summary>
[Algorithm("PPO", Description = "Proximal Policy Optimization (clipped surrogate), Stable-Baselines' defaults.")]
public sealed class Ppo : OnPolicyAlgorithm<PpoOptions>
{
    private RolloutMinibatch? _minibatch;
    /// <summary>PPO on <paramref name="env"/>.</summary>
    public Ppo(IVectorEnv env, PpoOptions options) : this(env, env.SingleObservationSpace, env.SingleActionSpace, options) { }

    private Ppo(IVectorEnv? env, Space observationSpace, Space actionSpace, PpoOptions options)
        : base("PPO", env, observationSpace, actionSpace, options,
            (parameters, lr) => new Adam(parameters, new AdamOptions(LearningRate: lr, Eps: options.AdamEps))) { }

    /// <summary>Loads a model saved by <see cref="Rl.Algorithms.AlgorithmBase{TOptions}.Save"/>; with <paramref name="env"/> training can continue.</summary>
    public static Ppo Load(string path, IVectorEnv? env = null) =>
        LoadModel(path, env, "PPO", (observation, action, options) => new Ppo(null, observation, action, options));

    /// <summary>Loads a Stable-Baselines3 PPO model file (<c>model.save</c>'s zip): weights, options and optimizer state, so <c>Learn</c> continues.</summary>
    public static Ppo LoadSb3(string path, IVectorEnv? env = null) => Sb3Import.Load(path, "PPO", converted => Load(converted, env));

    /// <inheritdoc />
    protected override List<KeyValuePair<string, double>> Update(double progressRemaining)
    {
        var rollout = Rollout;
        int batchSize = Options.BatchSize;
        if (_minibatch is null || _minibatch.ObservationSize != rollout.ObservationSize)
            _minibatch = new RolloutMinibatch(batchSize, rollout.ObservationSize, rollout.ActionSize);
        float clip = (float)Options.ClipRange.ValueAt(progressRemaining);
        float? clipVf = Options.ClipRangeVf is { } s ? (float)s.ValueAt(progressRemaining) : null;
        var parameters = Optimizer.Parameters;
        double entropySum = 0, policySum = 0, valueSum = 0, clipSum = 0, klSum = 0, lastLoss = 0;
        int batches = 0, klBatches = 0;
        bool continueTraining = true;
        for (int epoch = 0; epoch < Options.NEpochs && continueTraining; epoch++)
        {
            klSum = 0;
            klBatches = 0;
            foreach (var indices in rollout.GetMinibatches(batchSize, Random))
            {
                rollout.Gather(indices, _minibatch);
                var step = Step(_minibatch, clip, clipVf);
                klSum += step.ApproxKl;
                klBatches++;
                if (Options.TargetKl is { } targetKl && step.ApproxKl > 1.5 * targetKl)
                {
                    continueTraining = false;
                    break;
                }
                EnsureFinite("policy_gradient_loss", step.PolicyLoss);
                EnsureFinite("value_loss", step.ValueLoss);
                EnsureFinite("entropy_loss", step.EntropyLoss);
                EnsureFinite("loss", step.Loss);
                GradClip.ClipGradNorm(parameters, (float)Options.MaxGradNorm);
                Optimizer.Step();
                entropySum += step.EntropyLoss;
                policySum += step.PolicyLoss;
                valueSum += step.ValueLoss;
                clipSum += step.ClipFraction;
                lastLoss = step.Loss;
                batches++;
            }
            Updates++;
        }
        int b = Math.Max(batches, 1);
        var stats = new List<KeyValuePair<string, double>>
        {
            new("entropy_loss", entropySum / b),
            new("policy_gradient_loss", policySum / b),
            new("value_loss", valueSum / b),
            new("approx_kl", klBatches > 0 ? klSum / klBatches : double.NaN),
            new("clip_fraction", clipSum / b),
            new("loss", lastLoss),
            new("explained_variance", ExplainedVariance()),
            new("n_updates", Updates),
            new("clip_range", clip),
        };
        if (clipVf is { } cvf) stats.Add(new("clip_range_vf", cvf));
        return stats;
    }

    private readonly record struct StepResult(float PolicyLoss, float ValueLoss, float EntropyLoss, float Loss, float ClipFraction, float ApproxKl);

    /// <summary>Forward and backward of one minibatch; leaves the gradients in the parameters (the caller decides whether to step).</summary>
    private StepResult Step(RolloutMinibatch batch, float clip, float? clipVf)
    {
        int n = batch.Count;
        var policy = ActorCritic;
        using var scope = TensorScope.Begin();
        var observations = policy.Preprocess(batch.Observations.AsSpan(0, n * batch.ObservationSize), n);
        var actions = policy.Head.ActionTensor(batch.Actions.AsSpan(0, n * batch.ActionSize), n);
        var (distribution, values) = policy.Evaluate(observations);
        var logProb = distribution.LogProb(actions);
        var entropy = distribution.Entropy();

        var advantages = Tensor.Empty(n);
        AdvantageNormalization.Write(batch.Advantages.AsSpan(0, n), Options.NormalizeAdvantage && n > 1, advantages.AsSpan());
        var oldLogProb = Tensor.FromSpan(batch.OldLogProbs.AsSpan(0, n), n);
        var ratio = (logProb - oldLogProb).Exp();
        var surrogate1 = advantages * ratio;
        var surrogate2 = advantages * ratio.Clamp(1 - clip, 1 + clip);
        var policyLoss = -Tensor.Minimum(surrogate1, surrogate2).Mean();

        var oldValues = Tensor.FromSpan(batch.OldValues.AsSpan(0, n), n);
        var predicted = clipVf is { } cvf ? oldValues + (values - oldValues).Clamp(-cvf, cvf) : values;
        var valueLoss = Losses.Mse(predicted, Tensor.FromSpan(batch.Returns.AsSpan(0, n), n));
        var entropyLoss = entropy is null ? logProb.Mean() : -entropy.Mean();
        var loss = policyLoss + entropyLoss * (float)Options.EntCoef + valueLoss * (float)Options.VfCoef;

        float clipFraction = 0, approxKl = 0;
        var newLogProb = logProb.Contiguous().AsSpan();
        for (int k = 0; k < n; k++)
        {
            float logRatio = newLogProb[k] - batch.OldLogProbs[k];
            float r = MathF.Exp(logRatio);
            if (MathF.Abs(r - 1) > clip) clipFraction++;
            approxKl += r - 1 - logRatio;
        }
        var result = new StepResult(policyLoss.Item(), valueLoss.Item(), entropyLoss.Item(), loss.Item(), clipFraction / n, approxKl / n);
        Optimizer.ZeroGrad();
        loss.Backward();
        return result;
    }
}
