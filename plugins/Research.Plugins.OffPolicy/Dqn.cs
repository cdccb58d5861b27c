using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Text.Json.Nodes;
using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;
using Research.Rl.Algorithms;
using Research.Rl.Interop.Sb3;
using Research.Rl.Buffers;
using Research.Rl.Policies;
using Research.Rl.VectorEnvs;
using Research.Tensors;
using Research.Tensors.Memory;
using Research.Tensors.Optim;

namespace Research.Plugins.OffPolicy;

/// <summary>
/// Deep Q-Network (Mnih et al. 2015) as Stable-Baselines implements it: ε-greedy collection with a linear ε schedule, a target
/// network copied (τ = 1) or Polyak-averaged every <c>target_update_interval</c> steps, Huber loss, Adam, global-norm clipping.
/// </summary>
[Algorithm("DQN", Description = "Deep Q-Network (target network, ε-greedy, Huber loss), Stable-Baselines' defaults.")]
public sealed class Dqn : OffPolicyAlgorithm<DqnOptions>
{
    // Saved with the model, as SB3 does, so a loaded model explores (predict with deterministic = false) as it did when saved.
    private const string ExplorationRateKey = "exploration_rate";

    private readonly QNetworkPolicy _policy;
    private readonly Adam _optimizer;
    private long _calls, _updates;
    private double _explorationRate;

    /// <summary>DQN on <paramref name="env"/> (Discrete actions only).</summary>
    public Dqn(IVectorEnv env, DqnOptions options) : this(env, env.SingleObservationSpace, env.SingleActionSpace, options) { }

    private Dqn(IVectorEnv? env, Space observationSpace, Space actionSpace, DqnOptions options)
        : base("DQN", env, observationSpace, actionSpace, options)
    {
        _policy = new QNetworkPolicy(observationSpace, actionSpace, options.PolicyKwargs, Generator, Name);
        _optimizer = new Adam(_policy.QNet.Parameters(), new AdamOptions(LearningRate: options.LearningRate.Initial, Eps: options.AdamEps));
    }

    /// <summary>Loads a model saved by <see cref="AlgorithmBase{TOptions}.Save"/>; with <paramref name="env"/> training can continue (with an empty replay buffer).</summary>
    public static Dqn Load(string path, IVectorEnv? env = null) =>
        LoadModel(path, env, "DQN", (observation, action, options) => new Dqn(null, observation, action, options));

    /// <summary>Loads a Stable-Baselines3 DQN model file (<c>model.save</c>'s zip): weights, options and optimizer state, so <c>Learn</c> continues.</summary>
    public static Dqn LoadSb3(string path, IVectorEnv? env = null) => Sb3Import.Load(path, "DQN", converted => Load(converted, env));

    /// <inheritdoc />
    public override PolicyBase Policy => _policy;

    /// <summary>The online and target Q-networks.</summary>
    public QNetworkPolicy QPolicy => _policy;

    /// <summary>The current probability of a random action during collection.</summary>
    public double ExplorationRate => _explorationRate;

    /// <inheritdoc />
    protected override IReadOnlyList<KeyValuePair<string, Optimizer>> Optimizers => [new("policy", _optimizer)];

    /// <inheritdoc />
    protected override void SelectActions(ReadOnlySpan<float> observations, int n, Span<float> actions) =>
        PredictActions(observations, n, actions, deterministic: false);

    /// <summary>
    /// ε-greedy as Stable-Baselines' <c>DQN.predict</c>: unless deterministic, with probability <see cref="ExplorationRate"/> every
    /// row gets a uniformly random action (one draw decides for the whole batch); otherwise <c>argmax Q</c>.
    /// </summary>
    protected override void PredictActions(ReadOnlySpan<float> observations, int batch, Span<float> actions, bool deterministic)
    {
        if (!deterministic && Generator.NextDouble() < _explorationRate) WriteRandomActions(actions, batch);
        else _policy.Predict(observations, batch, actions, deterministic: true);
    }

    /// <inheritdoc />
    protected override void OnStep()
    {
        _calls++;
        if (_calls % Math.Max(Options.TargetUpdateInterval / Env.NumEnvs, 1) == 0) _policy.UpdateTarget(Options.Tau);
        _explorationRate = ExplorationSchedule(ProgressRemaining);
    }

    /// <inheritdoc />
    protected override void OnRolloutEnd() => Logger.Record("rollout/exploration_rate", _explorationRate);

    /// <summary>Stable-Baselines' <c>get_linear_fn(initial, final, fraction)</c> at <paramref name="progressRemaining"/>.</summary>
    private double ExplorationSchedule(double progressRemaining)
    {
        double progress = 1 - progressRemaining;
        return progress > Options.ExplorationFraction
            ? Options.ExplorationFinalEps
            : Options.ExplorationInitialEps + progress * (Options.ExplorationFinalEps - Options.ExplorationInitialEps) / Options.ExplorationFraction;
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, double>> Update(int gradientSteps)
    {
        double lossSum = 0;
        for (int step = 0; step < gradientSteps; step++) lossSum += GradientStep(SampleBatch());
        _updates += gradientSteps;
        return [new("loss", lossSum / gradientSteps), new("n_updates", _updates)];
    }

    /// <summary>One update of the online network on <paramref name="batch"/> (SB3's <c>DQN.train</c> loop body); returns the loss.</summary>
    internal float GradientStep(ReplayBatch batch)
    {
        float loss = Backward(batch);
        GradClip.ClipGradNorm(_optimizer.Parameters, (float)Options.MaxGradNorm);
        _optimizer.Step();
        return loss;
    }

    /// <summary>Huber loss between Q(s, a) and r + γ(1 − done)·max Q_target(s′, ·); leaves the gradients in the online network (after checking the loss is finite).</summary>
    private float Backward(ReplayBatch batch)
    {
        int n = batch.BatchSize, actions = ((Discrete)ActionSpace).N, start = ((Discrete)ActionSpace).Start;
        using var scope = TensorScope.Begin();
        var targets = Tensor.Empty(n, 1);
        using (Tensor.NoGrad())
        {
            var next = _policy.Preprocess(batch.NextObservations, n);
            var nextQ = _policy.QNetTarget.Forward(next).Contiguous().AsSpan();
            var onlineNextQ = Options.DoubleQ ? _policy.QNet.Forward(next).Contiguous().AsSpan() : default;
            float gamma = (float)Options.Gamma;
            var target = targets.AsSpan();
            for (int k = 0; k < n; k++)
            {
                var row = nextQ.Slice(k * actions, actions);
                float value = Options.DoubleQ ? row[TensorPrimitives.IndexOfMax(onlineNextQ.Slice(k * actions, actions))] : TensorPrimitives.Max(row);
                target[k] = batch.Rewards[k] + (1f - batch.Dones[k]) * gamma * value;
            }
        }
        var taken = Tensor.Empty(n, 1);
        var index = taken.AsSpan();
        for (int k = 0; k < n; k++) index[k] = batch.Actions[k] - start;
        var q = _policy.QNet.Forward(_policy.Preprocess(batch.Observations, n)).Gather(1, taken);
        var loss = Losses.SmoothL1(q, targets);
        float lossValue = loss.Item();
        // Checked before the backward pass: smooth-L1's gradient takes the sign of the error, which is undefined for NaN.
        EnsureFinite("loss", lossValue);
        _optimizer.ZeroGrad();
        loss.Backward();
        return lossValue;
    }

    /// <inheritdoc />
    protected override void WriteModelData(JsonObject data) => data[ExplorationRateKey] = _explorationRate;

    /// <inheritdoc />
    protected override void ReadModelData(ModelArchive archive) => _explorationRate = archive.Property(ExplorationRateKey).GetDouble();

    /// <inheritdoc />
    protected override void WriteTrainingState(BinaryWriter writer)
    {
        writer.Write(_calls);
        writer.Write(_updates);
        writer.Write(_explorationRate);
    }

    /// <inheritdoc />
    protected override void ReadTrainingState(BinaryReader reader)
    {
        _calls = reader.ReadInt64();
        _updates = reader.ReadInt64();
        _explorationRate = reader.ReadDouble();
    }
}
