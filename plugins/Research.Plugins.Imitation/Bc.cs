using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;
using Research.Rl.Algorithms;
using Research.Rl.Imitation;
using Research.Rl.Imitation.Pretraining;
using Research.Rl.Persistence;
using Research.Rl.Policies;
using Research.Rl.VectorEnvs;
using Research.Tensors.Optim;

namespace Research.Plugins.Imitation;

/// <summary>
/// Behaviour cloning as an algorithm of its own: each iteration trains <c>n_epochs</c> epochs on the expert data, reports the
/// train and validation losses, and every <c>eval_interval</c> iterations plays <c>eval_episodes</c> deterministic episodes on its
/// environment, whose returns are the row's <c>episode_reward_mean</c>.
/// </summary>
/// <remarks>
/// The policy is an <see cref="ActorCriticPolicy"/> (only the actor is trained), so a BC model's weights load into PPO or A2C.
/// Timesteps count the evaluation steps played: <c>Learn(t)</c> stops after evaluations totalling <c>t</c> steps.
/// A checkpoint restores weights, optimizer, counters and environments; the expert batches restart their shuffle order.
/// </remarks>
[Algorithm("BC", Description = "Behaviour cloning of an expert dataset (supervised), evaluated on the environment.")]
public sealed class Bc : AlgorithmBase<BcOptions>
{
    private readonly ActorCriticPolicy _policy;
    private readonly Adam _optimizer;
    private ExpertDataset? _dataset;
    private BehaviourCloning? _cloning;
    private float[] _actions = [];
    private int _epochs;

    /// <summary>BC on <paramref name="env"/>; reads and checks the expert data now, so a bad file fails here.</summary>
    public Bc(IVectorEnv env, BcOptions options) : this(env, env.SingleObservationSpace, env.SingleActionSpace, options) => _ = Cloning;

    private Bc(IVectorEnv? env, Space observationSpace, Space actionSpace, BcOptions options)
        : base("BC", env, observationSpace, actionSpace, options)
    {
        _policy = new ActorCriticPolicy(observationSpace, actionSpace, options.PolicyKwargs, Generator, "BC");
        _optimizer = new Adam(_policy.Parameters(), new AdamOptions(LearningRate: options.LearningRate.Initial, Eps: options.AdamEps));
    }

    /// <summary>Loads a model saved by <see cref="AlgorithmBase{TOptions}.Save"/>; the expert data is read only when training continues.</summary>
    public static Bc Load(string path, IVectorEnv? env = null) =>
        LoadModel(path, env, "BC", (observation, action, options) => new Bc(null, observation, action, options));

    /// <inheritdoc />
    public override PolicyBase Policy => _policy;

    /// <inheritdoc />
    protected override IReadOnlyList<KeyValuePair<string, Optimizer>> Optimizers => [new("policy", _optimizer)];

    /// <summary>The expert data in use.</summary>
    public ExpertDataset Dataset => _dataset ??= LoadDataset();

    private BehaviourCloning Cloning => _cloning ??= new BehaviourCloning(_policy, Dataset, _optimizer, Options.Loss);

    /// <inheritdoc />
    protected override void OnEnvChanged(IVectorEnv env) => _actions = new float[env.NumEnvs * ActionSpace.FlatSize];

    /// <inheritdoc />
    protected override IReadOnlyList<KeyValuePair<string, double>>? TrainIteration()
    {
        var cloning = Cloning;
        UpdateLearningRate(Options.LearningRate);
        double train = 0;
        for (int epoch = 0; epoch < Options.NEpochs; epoch++) train += cloning.TrainEpoch();
        _epochs += Options.NEpochs;
        var stats = new List<KeyValuePair<string, double>>
        {
            new("train_loss", train / Options.NEpochs),
            new("val_loss", cloning.Validate()),
            new("epochs", _epochs),
        };
        if (Options.EvalEpisodes > 0 && (Iteration + 1) % Options.EvalInterval == 0)
        {
            if (Evaluate() is not { } mean) return null;
            stats.Add(new("eval_return_mean", mean));
        }
        return stats;
    }

    /// <summary>Plays deterministic episodes from a fresh reset until <c>eval_episodes</c> have ended; null when a callback stopped it.</summary>
    private double? Evaluate()
    {
        var env = Env;
        env.Reset();
        int ended = 0;
        double sum = 0;
        while (ended < Options.EvalEpisodes)
        {
            Predict(env.Observations, env.NumEnvs, _actions, deterministic: true);
            env.Step(_actions);
            foreach (var episode in env.CompletedEpisodes)
            {
                if (ended == Options.EvalEpisodes) break;
                sum += episode.Return;
                ended++;
            }
            if (!OnEnvStep()) return null;
        }
        return sum / ended;
    }

    private ExpertDataset LoadDataset()
    {
        if (string.IsNullOrWhiteSpace(Options.ExpertPath))
            throw new ArgumentException("BC: expert_path is required (an expert .npz, for example one written by `research expert record`).");
        var options = new ExpertDatasetOptions
        {
            BatchSize = Options.BatchSize,
            TrajLimitation = Options.TrajLimitation,
            TrainFraction = Options.TrainFraction,
            Seed = Options.Seed ?? 0,
            Verbose = 0,
        };
        return ExpertDataset.Load(Options.ExpertPath, options, ObservationSpace, ActionSpace);
    }

    /// <inheritdoc />
    protected override void WriteTrainingState(SectionWriter writer)
    {
        base.WriteTrainingState(writer);
        writer.WriteBinary("bc", w => w.Write(_epochs));
    }

    /// <inheritdoc />
    protected override void ReadTrainingState(SectionReader reader)
    {
        base.ReadTrainingState(reader);
        _epochs = reader.ReadBinary("bc", r => r.ReadInt32());
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _dataset?.Dispose();
        base.Dispose();
    }
}
