using Research.Abstractions.Options;
using Research.Rl.Algorithms;
using Research.Rl.Logging;
using Research.Rl.VectorEnvs;
using Research.Tensors.Optim;

namespace Research.Rl.Imitation.Pretraining;

/// <summary>Stable-Baselines 2's <c>model.pretrain</c> for every algorithm built on <see cref="AlgorithmBase{TOptions}"/>.</summary>
public static class PretrainExtensions
{
    /// <summary>
    /// Clones the expert in <paramref name="dataset"/> into the model's policy for <paramref name="nEpochs"/> epochs with a fresh Adam
    /// optimizer of its own (so the RL optimizer's state is untouched and <c>Learn</c> continues from the cloned weights).
    /// Every <paramref name="valInterval"/> epochs (default <c>max(1, nEpochs / 10)</c>, as SB2) the validation loss is computed.
    /// Losses go to the model's metrics sinks as <c>pretrain/train_loss</c> and <c>pretrain/val_loss</c> (step = epoch), to
    /// <paramref name="progress"/> as each epoch ends, and are returned.
    /// </summary>
    public static IReadOnlyList<PretrainEpoch> Pretrain<TOptions>(this AlgorithmBase<TOptions> model, ExpertDataset dataset, int nEpochs = 10,
        double learningRate = 1e-4, double adamEpsilon = 1e-8, int? valInterval = null, CloningLoss loss = CloningLoss.Auto,
        IProgress<PretrainEpoch>? progress = null)
        where TOptions : AlgorithmOptions
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        if (nEpochs < 1) throw new ArgumentOutOfRangeException(nameof(nEpochs), nEpochs, $"{model.Name}.Pretrain: n_epochs must be at least 1.");
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"{model.Name}.Pretrain: learning_rate must be positive.");
        if (!(adamEpsilon > 0)) throw new ArgumentOutOfRangeException(nameof(adamEpsilon), adamEpsilon, $"{model.Name}.Pretrain: adam_epsilon must be positive.");
        int interval = valInterval ?? Math.Max(1, nEpochs / 10);
        if (interval < 1) throw new ArgumentOutOfRangeException(nameof(valInterval), valInterval, $"{model.Name}.Pretrain: val_interval must be at least 1.");
        // The expert's observations are raw; a policy that sees normalized observations would be cloned on the wrong inputs.
        if (model.GetEnv() is VecNormalize { Options.NormObs: true })
            throw new NotSupportedException($"{model.Name}.Pretrain: the model's environment normalizes observations (VecNormalize norm_obs), but {dataset.Data.Source} holds raw observations.");

        var policy = model.Policy;
        var optimizer = new Adam(policy.Parameters(), new AdamOptions(LearningRate: learningRate, Eps: adamEpsilon));
        var cloning = new BehaviourCloning(policy, dataset, optimizer, loss);
        var logger = new MetricsLogger(model.MetricsSinks);
        var epochs = new List<PretrainEpoch>(nEpochs);
        for (int epoch = 1; epoch <= nEpochs; epoch++)
        {
            double train = cloning.TrainEpoch();
            double validation = epoch % interval == 0 || epoch == nEpochs ? cloning.Validate() : double.NaN;
            logger.Record("pretrain/train_loss", train);
            if (!double.IsNaN(validation)) logger.Record("pretrain/val_loss", validation);
            logger.Dump(epoch);
            var result = new PretrainEpoch(epoch, train, validation);
            epochs.Add(result);
            progress?.Report(result);
        }
        return epochs;
    }
}
