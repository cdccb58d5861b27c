using Research.Abstractions.Spaces;
using Research.Rl.Buffers;
using Research.Rl.Persistence;
using Research.Rl.Policies;
using Research.Rl.VectorEnvs;
using Research.Tensors;
using Research.Tensors.Memory;
using Research.Tensors.Optim;

namespace Research.Rl.Algorithms;

/// <summary>
/// Stable-Baselines' <c>OnPolicyAlgorithm</c>: each iteration collects <c>n_steps</c> per environment into a <see cref="RolloutBuffer"/>
/// (bootstrapping truncated episodes from their terminal observation), computes GAE, then runs the subclass's <see cref="Update"/>.
/// With <c>use_sde</c> the policy's exploration matrices are redrawn at the start of every rollout and, when
/// <c>sde_sample_freq</c> &gt; 0, before every step whose index within the rollout is a multiple of it (SB3's condition).
/// </summary>
public abstract class OnPolicyAlgorithm<TOptions> : AlgorithmBase<TOptions> where TOptions : OnPolicyOptions
{
    private readonly ActorCriticPolicy _policy;
    private readonly Optimizer _optimizer;
    private RolloutBuffer? _rollout;
    private float[] _lastObservations = [], _actions = [], _clippedActions = [], _values = [], _logProbs = [], _bootstrapValues = [];
    private bool[] _episodeStarts = [], _lastDones = [];

    /// <summary>Builds the policy and its optimizer (from <paramref name="createOptimizer"/>) and, with an env, the rollout buffer.</summary>
    protected OnPolicyAlgorithm(string name, IVectorEnv? env, Space observationSpace, Space actionSpace, TOptions options,
        Func<IReadOnlyList<Tensor>, double, Optimizer> createOptimizer)
        : base(name, env, observationSpace, actionSpace, options)
    {
        _policy = new ActorCriticPolicy(observationSpace, actionSpace, options.PolicyKwargs, Generator, name, options.UseSde);
        _optimizer = createOptimizer(_policy.Parameters(), options.LearningRate.Initial);
        Random = new GeneratorRandomSource(Generator);
    }

    /// <inheritdoc />
    public override PolicyBase Policy => _policy;

    /// <summary>The actor-critic policy.</summary>
    protected ActorCriticPolicy ActorCritic => _policy;

    /// <summary>The optimizer of all policy parameters.</summary>
    protected Optimizer Optimizer => _optimizer;

    /// <inheritdoc />
    protected override IReadOnlyList<KeyValuePair<string, Optimizer>> Optimizers => [new("policy", _optimizer)];

    /// <summary>Gradient updates so far (SB3's <c>_n_updates</c>), kept in checkpoints.</summary>
    protected long Updates { get; set; }

    /// <summary>Minibatch shuffling draws from the algorithm's generator.</summary>
    protected IRandomSource Random { get; }

    /// <summary>The rollout of the current iteration.</summary>
    protected RolloutBuffer Rollout => _rollout ?? throw new InvalidOperationException($"{Name} has no environment; call SetEnv first.");

    /// <inheritdoc />
    protected override void OnEnvChanged(IVectorEnv env)
    {
        int n = env.NumEnvs, obs = ObservationSpace.FlatSize, act = ActionSpace.FlatSize;
        _rollout = new RolloutBuffer(Options.NSteps, n, obs, act, Options.Gamma, Options.GaeLambda);
        _lastObservations = new float[n * obs];
        _actions = new float[n * act];
        _clippedActions = new float[n * act];
        _values = new float[n];
        _logProbs = new float[n];
        _bootstrapValues = new float[n];
        _episodeStarts = new bool[n];
        _lastDones = new bool[n];
    }

    /// <inheritdoc />
    protected override void OnEnvReset() => _episodeStarts.AsSpan().Fill(true);

    /// <inheritdoc />
    protected sealed override IReadOnlyList<KeyValuePair<string, double>>? TrainIteration()
    {
        if (!CollectRollouts()) return null;
        double learningRate = UpdateLearningRate(Options.LearningRate);
        var stats = Update();
        stats.Add(new("learning_rate", learningRate));
        return stats;
    }

    /// <summary>One update on the full <see cref="Rollout"/> (the learning rate is already set); returns learner statistics (without the learning rate, which is added).</summary>
    protected abstract List<KeyValuePair<string, double>> Update();

    private bool CollectRollouts()
    {
        var env = Env;
        var rollout = Rollout;
        int n = env.NumEnvs, obsSize = ObservationSpace.FlatSize;
        rollout.Reset();
        if (Options.UseSde) _policy.ResetNoise(n);
        for (int step = 0; !rollout.IsFull; step++)
        {
            if (Options.UseSde && Options.SdeSampleFreq > 0 && step % Options.SdeSampleFreq == 0) _policy.ResetNoise(n);
            env.Observations.CopyTo(_lastObservations, 0);
            _policy.Act(_lastObservations, n, _actions, _logProbs, _values);
            _actions.CopyTo(_clippedActions, 0);
            _policy.Head.Clip(_clippedActions);
            env.Step(_clippedActions);
            if (!OnEnvStep()) return false;
            rollout.Add(_lastObservations, _actions, env.Rewards, _episodeStarts, _values, _logProbs);
            for (int i = 0; i < n; i++)
            {
                _lastDones[i] = env.Terminated[i] || env.Truncated[i];
                _episodeStarts[i] = _lastDones[i];
                if (env.Truncated[i] && !env.Terminated[i])
                {
                    Values(env.TerminalObservations.AsSpan(i * obsSize, obsSize), 1, _bootstrapValues);
                    rollout.AddTruncationBootstrap(rollout.Position - 1, i, _bootstrapValues[0]);
                }
            }
        }
        Values(env.Observations, n, _bootstrapValues);
        rollout.ComputeReturnsAndAdvantage(_bootstrapValues, _lastDones);
        return true;
    }

    private void Values(ReadOnlySpan<float> observations, int n, Span<float> destination)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        _policy.PredictValues(_policy.Preprocess(observations, n)).Contiguous().CopyTo(destination[..n]);
    }

    /// <summary>Stable-Baselines' <c>explained_variance</c>: 1 − Var[returns − values] / Var[returns] over the rollout (NaN when returns are constant).</summary>
    protected double ExplainedVariance()
    {
        var y = Rollout.Returns;
        var prediction = Rollout.Values;
        double meanY = 0, meanD = 0;
        for (int k = 0; k < y.Length; k++)
        {
            meanY += y[k];
            meanD += y[k] - prediction[k];
        }
        meanY /= y.Length;
        meanD /= y.Length;
        double varY = 0, varD = 0;
        for (int k = 0; k < y.Length; k++)
        {
            varY += (y[k] - meanY) * (y[k] - meanY);
            double d = y[k] - prediction[k] - meanD;
            varD += d * d;
        }
        return varY == 0 ? double.NaN : 1 - varD / varY;
    }

    /// <inheritdoc />
    protected override void WriteTrainingState(SectionWriter writer)
    {
        base.WriteTrainingState(writer);
        writer.WriteBinary("on_policy", w =>
        {
            foreach (bool s in _episodeStarts) w.Write(s);
            foreach (bool d in _lastDones) w.Write(d);
            w.Write(Updates);
            _policy.Noise?.WriteState(w);
        });
    }

    /// <inheritdoc />
    protected override void ReadTrainingState(SectionReader reader)
    {
        base.ReadTrainingState(reader);
        reader.ReadBinary("on_policy", r =>
        {
            for (int i = 0; i < _episodeStarts.Length; i++) _episodeStarts[i] = r.ReadBoolean();
            for (int i = 0; i < _lastDones.Length; i++) _lastDones[i] = r.ReadBoolean();
            Updates = r.ReadInt64();
            _policy.Noise?.ReadState(r);
        });
    }
}
