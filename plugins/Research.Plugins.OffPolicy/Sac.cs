using System.Text.Json.Nodes;
using Research.Abstractions.Plugins;
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
/// Soft Actor-Critic (Haarnoja et al. 2018) as Stable-Baselines3 implements it: a tanh-squashed Gaussian actor, clipped double-Q
/// critics with a Polyak-averaged target, and an entropy coefficient α that is constant or learned towards a target entropy.
/// </summary>
[Algorithm("SAC", Description = "Soft Actor-Critic (squashed Gaussian actor, twin critics, learned entropy coefficient), Stable-Baselines3's defaults.")]
public sealed class Sac : ContinuousOffPolicyAlgorithm<SacOptions>
{
    // Saved with the model as SB3 saves it among its "pytorch variables".
    private const string LogEntCoefKey = "log_ent_coef";

    private readonly SacPolicy _policy;
    private readonly Adam _actorOptimizer, _criticOptimizer;
    private readonly Adam? _entCoefOptimizer;
    private readonly Tensor? _logEntCoef;
    private readonly float _constantEntCoef, _targetEntropy;
    private long _updates;

    /// <summary>SAC on <paramref name="env"/> (bounded Box actions).</summary>
    public Sac(IVectorEnv env, SacOptions options) : this(env, env.SingleObservationSpace, env.SingleActionSpace, options) { }

    private Sac(IVectorEnv? env, Space observationSpace, Space actionSpace, SacOptions options)
        : base("SAC", env, observationSpace, actionSpace, options)
    {
        var (learned, value) = options.ParseEntCoef(Name);
        _targetEntropy = (float)options.ParseTargetEntropy(actionSpace.FlatSize, Name);
        _policy = new SacPolicy(observationSpace, actionSpace, options.PolicyKwargs, Generator, Name, options.UseSde);
        double learningRate = options.LearningRate.Initial;
        _actorOptimizer = new Adam(_policy.Actor.Parameters(), new AdamOptions(LearningRate: learningRate));
        _criticOptimizer = new Adam(_policy.CriticParameters(), new AdamOptions(LearningRate: learningRate));
        if (learned)
        {
            _logEntCoef = Tensor.PersistentZeros(1).SetRequiresGrad();
            _logEntCoef.AsSpan()[0] = MathF.Log((float)value);
            _entCoefOptimizer = new Adam([_logEntCoef], new AdamOptions(LearningRate: learningRate));
        }
        else
        {
            _constantEntCoef = (float)value;
        }
    }

    /// <summary>Loads a model saved by <see cref="AlgorithmBase{TOptions}.Save"/>; with <paramref name="env"/> training can continue (with an empty replay buffer).</summary>
    public static Sac Load(string path, IVectorEnv? env = null) =>
        LoadModel(path, env, "SAC", (observation, action, options) => new Sac(null, observation, action, options));

    /// <inheritdoc />
    public override PolicyBase Policy => _policy;

    /// <summary>The actor, the critics and the target critics.</summary>
    public SacPolicy SacPolicy => _policy;

    /// <summary>The entropy coefficient α now (learned or constant).</summary>
    public double EntCoef => _logEntCoef is null ? _constantEntCoef : MathF.Exp(_logEntCoef.AsSpan()[0]);

    /// <summary>The target entropy of the learned α.</summary>
    public double TargetEntropy => _targetEntropy;

    /// <inheritdoc />
    protected override OffPolicyActorCriticPolicy ActorCriticPolicy => _policy;

    /// <inheritdoc />
    protected override IReadOnlyList<KeyValuePair<string, Optimizer>> Optimizers => _entCoefOptimizer is null
        ? [new("actor.optimizer", _actorOptimizer), new("critic.optimizer", _criticOptimizer)]
        : [new("actor.optimizer", _actorOptimizer), new("critic.optimizer", _criticOptimizer), new("ent_coef_optimizer", _entCoefOptimizer)];

    /// <summary>Test seam: the N(0, 1) values of each gradient step (actor samples, or gSDE's exploration matrix) come from here when set.</summary>
    internal Action<Span<float>>? StandardNormalSource { get; set; }

    /// <summary>Target network updates so far (for the schedule tests).</summary>
    internal long TargetUpdates { get; private set; }

    /// <summary>gSDE redraws during collection so far (for the schedule tests).</summary>
    internal long NoiseRedraws { get; private set; }

    /// <summary>gSDE: new exploration matrices at the start of each collection and every <c>sde_sample_freq</c> steps (SB3's order).</summary>
    protected override void BeforeCollectionStep(int step, int n)
    {
        if (!Options.UseSde) return;
        if (step == 0) RedrawNoise(n);
        if (Options.SdeSampleFreq > 0 && step % Options.SdeSampleFreq == 0) RedrawNoise(n);
    }

    private void RedrawNoise(int n)
    {
        _policy.ResetNoise(n);
        NoiseRedraws++;
    }

    /// <inheritdoc />
    protected override void WriteWarmupActions(ReadOnlySpan<float> observations, int n, Span<float> actions)
    {
        if (Options.UseSde && Options.UseSdeAtWarmup) SelectActions(observations, n, actions);
        else base.WriteWarmupActions(observations, n, actions);
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, double>> Update(int gradientSteps)
    {
        double actorLoss = 0, criticLoss = 0, entCoef = 0, entCoefLoss = 0;
        for (int step = 0; step < gradientSteps; step++)
        {
            var losses = GradientStep(SampleBatch(), step);
            actorLoss += losses.ActorLoss;
            criticLoss += losses.CriticLoss;
            entCoef += losses.EntCoef;
            entCoefLoss += losses.EntCoefLoss;
        }
        _updates += gradientSteps;
        var stats = new List<KeyValuePair<string, double>>
        {
            new("n_updates", _updates),
            new("ent_coef", entCoef / gradientSteps),
            new("actor_loss", actorLoss / gradientSteps),
            new("critic_loss", criticLoss / gradientSteps),
        };
        if (_logEntCoef is not null) stats.Add(new("ent_coef_loss", entCoefLoss / gradientSteps));
        if (Options.UseSde) stats.Add(new("std", _policy.Actor.MeanStd()));
        return stats;
    }

    /// <summary>The losses and α of one gradient step.</summary>
    internal readonly record struct StepLosses(float ActorLoss, float CriticLoss, float EntCoef, float EntCoefLoss);

    /// <summary>
    /// One iteration of SB3's <c>SAC.train</c> loop on <paramref name="batch"/>: α's loss and step (when learned), the critics' step towards
    /// r + γ(1 − done)(min Q_target(s′, a′) − α log π(a′|s′)), the actor's step on α log π(a|s) − min Q(s, a), then the target update when
    /// <paramref name="index"/> (the step's index within this call) is a multiple of <c>target_update_interval</c>.
    /// </summary>
    internal StepLosses GradientStep(ReplayBatch batch, int index)
    {
        int n = batch.BatchSize, actions = ActionSpace.FlatSize;
        var actor = _policy.Actor;
        var critic = _policy.Critic;
        StepLosses result;
        using (TensorScope.Begin())
        {
            var observations = _policy.Preprocess(batch.Observations, n);
            var nextObservations = _policy.Preprocess(batch.NextObservations, n);
            // SB3 draws a fresh gSDE matrix per gradient step (reset_noise) and uses it for both samples; otherwise each sample has its own noise.
            var noiseShape = actor.Noise is null ? (n, actions) : (actor.LatentDim, actions);
            var noise = StandardNormal(noiseShape.Item1, noiseShape.Item2);
            var (actionsPi, logProb) = actor.ActionLogProb(observations, noise);
            logProb = logProb.Reshape(n, 1);

            float entCoef;
            Tensor? entCoefLoss = null;
            if (_logEntCoef is not null)
            {
                entCoef = MathF.Exp(_logEntCoef.AsSpan()[0]);
                entCoefLoss = -(_logEntCoef * (logProb.Detach() + _targetEntropy)).Mean();
            }
            else
            {
                entCoef = _constantEntCoef;
            }

            var targets = Tensor.Empty(n, 1);
            using (Tensor.NoGrad())
            {
                var (nextActions, nextLogProb) = actor.ActionLogProb(nextObservations, actor.Noise is null ? StandardNormal(n, actions) : noise);
                var nextQ = _policy.CriticTarget.MinQ(_policy.CriticTarget.Input(nextObservations, nextActions)) - nextLogProb.Reshape(n, 1) * entCoef;
                WriteTargets(batch, nextQ.Contiguous().AsSpan(), targets.AsSpan());
            }

            var input = critic.Input(observations, Tensor.FromSpan(batch.Actions, n, actions));
            Tensor criticLoss = Losses.Mse(critic.Q(0, input), targets);
            for (int i = 1; i < critic.Count; i++) criticLoss = criticLoss + Losses.Mse(critic.Q(i, input), targets);
            criticLoss = criticLoss * 0.5f;

            float entCoefLossValue = entCoefLoss?.Item() ?? 0f, criticLossValue = criticLoss.Item();
            if (entCoefLoss is not null) EnsureFinite("ent_coef_loss", entCoefLossValue);
            EnsureFinite("critic_loss", criticLossValue);
            if (entCoefLoss is not null)
            {
                _entCoefOptimizer!.ZeroGrad();
                entCoefLoss.Backward();
                _entCoefOptimizer.Step();
            }
            _criticOptimizer.ZeroGrad();
            criticLoss.Backward();
            _criticOptimizer.Step();

            // The actor's loss goes through the critic just updated, as in SB3.
            var minQPi = critic.MinQ(critic.Input(observations, actionsPi), constantWeights: true);
            var actorLoss = (logProb * entCoef - minQPi).Mean();
            float actorLossValue = actorLoss.Item();
            EnsureFinite("actor_loss", actorLossValue);
            _actorOptimizer.ZeroGrad();
            actorLoss.Backward();
            _actorOptimizer.Step();
            result = new StepLosses(actorLossValue, criticLossValue, entCoef, entCoefLossValue);
        }
        if (index % Options.TargetUpdateInterval == 0)
        {
            _policy.UpdateCriticTarget(Options.Tau);
            TargetUpdates++;
        }
        return result;
    }

    /// <summary>r + (1 − done)·γ·next, in float32 in SB3's order.</summary>
    private void WriteTargets(ReplayBatch batch, ReadOnlySpan<float> next, Span<float> targets)
    {
        float gamma = (float)Options.Gamma;
        for (int k = 0; k < targets.Length; k++) targets[k] = batch.Rewards[k] + (1f - batch.Dones[k]) * gamma * next[k];
    }

    private Tensor StandardNormal(int rows, int columns)
    {
        var t = Tensor.Empty(rows, columns);
        if (StandardNormalSource is { } source) source(t.AsSpan());
        else Generator.FillNormal(t.AsSpan(), 0f, 1f);
        return t;
    }

    /// <inheritdoc />
    protected override void WriteModelData(JsonObject data)
    {
        if (_logEntCoef is not null) data[LogEntCoefKey] = _logEntCoef.AsSpan()[0];
    }

    /// <inheritdoc />
    protected override void ReadModelData(ModelArchive archive)
    {
        if (_logEntCoef is not null) _logEntCoef.AsSpan()[0] = archive.Property(LogEntCoefKey).GetSingle();
    }

    /// <inheritdoc />
    protected override void WriteTrainingState(BinaryWriter writer)
    {
        base.WriteTrainingState(writer);
        writer.Write(_updates);
        writer.Write(_logEntCoef?.AsSpan()[0] ?? 0f);
        _policy.Actor.Noise?.WriteState(writer);
    }

    /// <inheritdoc />
    protected override void ReadTrainingState(BinaryReader reader)
    {
        base.ReadTrainingState(reader);
        _updates = reader.ReadInt64();
        float logEntCoef = reader.ReadSingle();
        if (_logEntCoef is not null) _logEntCoef.AsSpan()[0] = logEntCoef;
        _policy.Actor.Noise?.ReadState(reader);
    }
}
