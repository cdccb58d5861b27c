using Research.Abstractions.Spaces;
using Research.Rl.Algorithms;
using Research.Rl.Buffers;
using Research.Rl.Policies;
using Research.Rl.VectorEnvs;
using Research.Tensors;
using Research.Tensors.Memory;
using Research.Tensors.Optim;

namespace Research.Plugins.OffPolicy;

/// <summary>
/// Stable-Baselines3's <c>TD3.train</c>, which its DDPG reuses: the critics step towards r + γ(1 − done)·min Q_target(s′, clip(π_target(s′) + ε)),
/// ε = clip(N(0, σ²), ±c); every <see cref="PolicyDelay"/> updates the actor steps on −Q₁(s, π(s)) and both targets move by Polyak averaging.
/// </summary>
public abstract class DeterministicActorCriticAlgorithm<TOptions> : ContinuousOffPolicyAlgorithm<TOptions> where TOptions : ContinuousOffPolicyOptions
{
    private readonly Td3Policy _policy;
    private readonly Adam _actorOptimizer, _criticOptimizer;
    private long _updates;

    /// <summary>Builds the policy with <paramref name="defaultCritics"/> Q-networks (unless <c>policy_kwargs.n_critics</c> is given) and both optimizers.</summary>
    private protected DeterministicActorCriticAlgorithm(string name, IVectorEnv? env, Space observationSpace, Space actionSpace, TOptions options, int defaultCritics)
        : base(name, env, observationSpace, actionSpace, options)
    {
        _policy = new Td3Policy(observationSpace, actionSpace, options.PolicyKwargs, Generator, name, defaultCritics);
        _actorOptimizer = new Adam(_policy.Actor.Parameters(), new AdamOptions(LearningRate: options.LearningRate.Initial));
        _criticOptimizer = new Adam(_policy.CriticParameters(), new AdamOptions(LearningRate: options.LearningRate.Initial));
    }

    /// <summary>Critic updates per actor update.</summary>
    protected abstract int PolicyDelay { get; }

    /// <summary>Standard deviation of the target policy smoothing noise.</summary>
    protected abstract double TargetPolicyNoise { get; }

    /// <summary>Bound of the target policy smoothing noise (0: none).</summary>
    protected abstract double TargetNoiseClip { get; }

    /// <inheritdoc />
    public override PolicyBase Policy => _policy;

    /// <summary>The actor, the critics and their targets.</summary>
    public Td3Policy Td3Policy => _policy;

    /// <summary>Gradient steps taken so far (SB3's <c>_n_updates</c>).</summary>
    protected long Updates => _updates;

    /// <inheritdoc />
    protected override OffPolicyActorCriticPolicy ActorCriticPolicy => _policy;

    /// <inheritdoc />
    protected override IReadOnlyList<KeyValuePair<string, Optimizer>> Optimizers =>
        [new("actor.optimizer", _actorOptimizer), new("critic.optimizer", _criticOptimizer)];

    /// <summary>Target network updates so far, the critic's and the actor's counted apart (for the schedule tests).</summary>
    internal long TargetUpdates { get; private set; }

    /// <summary>Test seam: the N(0, 1) values of the target policy noise come from here when set.</summary>
    internal Action<Span<float>>? StandardNormalSource { get; set; }

    /// <summary>Called before each gradient step (DDPG adapts its parameter noise here).</summary>
    private protected virtual void BeforeGradientStep() { }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, double>> Update(int gradientSteps)
    {
        double actorLoss = 0, criticLoss = 0;
        int actorUpdates = 0;
        for (int step = 0; step < gradientSteps; step++)
        {
            BeforeGradientStep();
            var (critic, actor) = GradientStep(SampleBatch());
            criticLoss += critic;
            if (actor is { } value)
            {
                actorLoss += value;
                actorUpdates++;
            }
        }
        var stats = new List<KeyValuePair<string, double>> { new("n_updates", _updates) };
        if (actorUpdates > 0) stats.Add(new("actor_loss", actorLoss / actorUpdates));
        stats.Add(new("critic_loss", criticLoss / gradientSteps));
        return stats;
    }

    /// <summary>One iteration of SB3's <c>TD3.train</c> loop on <paramref name="batch"/>; returns the critic loss and, on a policy-delay step, the actor loss.</summary>
    internal (float CriticLoss, float? ActorLoss) GradientStep(ReplayBatch batch)
    {
        _updates++;
        int n = batch.BatchSize, actions = ActionSpace.FlatSize;
        var critic = _policy.Critic;
        float criticLossValue;
        float? actorLossValue = null;
        bool delayed = _updates % PolicyDelay == 0;
        using (TensorScope.Begin())
        {
            var observations = _policy.Preprocess(batch.Observations, n);
            var targets = Tensor.Empty(n, 1);
            using (Tensor.NoGrad())
            {
                var nextObservations = _policy.Preprocess(batch.NextObservations, n);
                var nextActions = _policy.ActorTarget.Forward(nextObservations);
                // DDPG's clip of 0 makes the smoothing noise exactly zero, so it is not drawn.
                if (TargetNoiseClip > 0)
                {
                    var noise = StandardNormal(n, actions);
                    var values = noise.AsSpan();
                    float sigma = (float)TargetPolicyNoise, clip = (float)TargetNoiseClip;
                    for (int k = 0; k < values.Length; k++) values[k] = Math.Clamp(values[k] * sigma, -clip, clip);
                    nextActions = (nextActions + noise).Clamp(-1f, 1f);
                }
                var nextQ = _policy.CriticTarget.MinQ(_policy.CriticTarget.Input(nextObservations, nextActions)).Contiguous().AsSpan();
                var target = targets.AsSpan();
                float gamma = (float)Options.Gamma;
                for (int k = 0; k < n; k++) target[k] = batch.Rewards[k] + (1f - batch.Dones[k]) * gamma * nextQ[k];
            }

            var input = critic.Input(observations, Tensor.FromSpan(batch.Actions, n, actions));
            Tensor criticLoss = Losses.Mse(critic.Q(0, input), targets);
            for (int i = 1; i < critic.Count; i++) criticLoss = criticLoss + Losses.Mse(critic.Q(i, input), targets);
            criticLossValue = criticLoss.Item();
            EnsureFinite("critic_loss", criticLossValue);
            _criticOptimizer.ZeroGrad();
            criticLoss.Backward();
            _criticOptimizer.Step();

            if (delayed)
            {
                var actorLoss = -critic.Q(0, critic.Input(observations, _policy.Actor.Forward(observations)), constantWeights: true).Mean();
                float value = actorLoss.Item();
                EnsureFinite("actor_loss", value);
                _actorOptimizer.ZeroGrad();
                actorLoss.Backward();
                _actorOptimizer.Step();
                actorLossValue = value;
            }
        }
        if (delayed)
        {
            _policy.UpdateCriticTarget(Options.Tau);
            _policy.UpdateActorTarget(Options.Tau);
            TargetUpdates += 2;
        }
        return (criticLossValue, actorLossValue);
    }

    private Tensor StandardNormal(int rows, int columns)
    {
        var t = Tensor.Empty(rows, columns);
        if (StandardNormalSource is { } source) source(t.AsSpan());
        else Generator.FillNormal(t.AsSpan(), 0f, 1f);
        return t;
    }

    /// <inheritdoc />
    protected override void WriteTrainingState(BinaryWriter writer)
    {
        base.WriteTrainingState(writer);
        writer.Write(_updates);
    }

    /// <inheritdoc />
    protected override void ReadTrainingState(BinaryReader reader)
    {
        base.ReadTrainingState(reader);
        _updates = reader.ReadInt64();
    }
}
