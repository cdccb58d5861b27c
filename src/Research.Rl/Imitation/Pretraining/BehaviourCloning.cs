using Research.Abstractions.Spaces;
using Research.Rl.Policies;
using Research.Tensors;
using Research.Tensors.Memory;
using Research.Tensors.Optim;

namespace Research.Rl.Imitation.Pretraining;

/// <summary>
/// Supervised training of a policy's action network on expert (observation, action) pairs, shared by
/// <see cref="PretrainExtensions.Pretrain{TOptions}"/> and the BC algorithm.
/// </summary>
/// <remarks>
/// The seam is <see cref="PolicyBase.ActionParameters"/> and the policy's <see cref="ActionHead"/>: any policy whose action-network
/// outputs parameterise its head can be cloned. A Q-network whose outputs are Q-values behind a categorical head is cloned by
/// cross-entropy with the Q-values as logits, so its greedy action becomes the expert's.
/// </remarks>
public sealed class BehaviourCloning
{
    private readonly PolicyBase _policy;
    private readonly ExpertDataset _dataset;
    private readonly Optimizer _optimizer;

    /// <summary>Clones into <paramref name="policy"/> from <paramref name="dataset"/>, stepping <paramref name="optimizer"/>; checks that the data fits the policy's spaces.</summary>
    public BehaviourCloning(PolicyBase policy, ExpertDataset dataset, Optimizer optimizer, CloningLoss loss = CloningLoss.Auto)
    {
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Loss = Resolve(loss, policy.ActionSpace, dataset.Data.Source);
        ExpertSpaceCheck.Observations(dataset.Data, policy.ObservationSpace, dataset.ObservationSize);
        ExpertSpaceCheck.Actions(dataset.Data, policy.ActionSpace);
    }

    /// <summary>The loss in use (never <see cref="CloningLoss.Auto"/>).</summary>
    public CloningLoss Loss { get; }

    /// <summary>One pass over the training split, one optimizer step per batch; returns the mean batch loss.</summary>
    public double TrainEpoch() => Pass(ExpertSplit.Train, _dataset.TrainCount, update: true);

    /// <summary>One pass over the validation split without updates; returns the mean batch loss (NaN without a validation split).</summary>
    public double Validate() => _dataset.ValidationCount == 0 ? double.NaN : Pass(ExpertSplit.Validation, _dataset.ValidationCount, update: false);

    private double Pass(ExpertSplit split, int rows, bool update)
    {
        // The dataset serves endless batches; an epoch ends when a split's rows have all been served once.
        double sum = 0;
        int batches = 0;
        for (int seen = 0; seen < rows; batches++)
        {
            var batch = _dataset.GetNextBatch(split);
            seen += batch.Count;
            sum += update ? Step(batch) : Evaluate(batch);
        }
        return sum / batches;
    }

    private float Step(ExpertBatch batch)
    {
        float value;
        using (TensorScope.Begin())
        {
            var loss = LossOf(batch);
            value = loss.Item();
            if (!float.IsFinite(value))
                throw new ArithmeticException($"Behaviour cloning on {_dataset.Data.Source}: the {Describe(Loss)} loss is {value}; the weights were not updated (lower the learning rate).");
            _optimizer.ZeroGrad();
            loss.Backward();
        }
        _optimizer.Step();
        return value;
    }

    private float Evaluate(ExpertBatch batch)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        return LossOf(batch).Item();
    }

    private Tensor LossOf(ExpertBatch batch)
    {
        int n = batch.Count;
        var observations = _policy.Preprocess(batch.Observations, n);
        if (Loss == CloningLoss.MeanSquaredError)
            return Losses.Mse(_policy.ActionParameters(observations), Tensor.FromSpan(batch.Actions, n, batch.ActionSize));
        return -_policy.ActionDistribution(observations).LogProb(_policy.Head.ActionTensor(batch.Actions, n)).Mean();
    }

    private static CloningLoss Resolve(CloningLoss loss, Space actionSpace, string source) => loss switch
    {
        CloningLoss.Auto => actionSpace is Box ? CloningLoss.MeanSquaredError : CloningLoss.NegativeLogLikelihood,
        CloningLoss.MeanSquaredError when actionSpace is not Box =>
            throw new ArgumentException($"Behaviour cloning on {source}: loss 'mean_squared_error' needs a Box action space, not {actionSpace}; use 'negative_log_likelihood'."),
        _ => loss,
    };

    private static string Describe(CloningLoss loss) => loss == CloningLoss.MeanSquaredError ? "mean squared error" : "negative log-likelihood";
}
