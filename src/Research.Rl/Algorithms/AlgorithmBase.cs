using System.Buffers;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Research.Abstractions.Algorithms;
using Research.Abstractions.Metrics;
using Research.Abstractions.Options;
using Research.Abstractions.Spaces;
using Research.Rl.Callbacks;
using Research.Rl.Logging;
using Research.Rl.Persistence;
using Research.Rl.Policies;
using Research.Rl.VectorEnvs;
using Research.Tensors;
using Research.Tensors.Io;
using Research.Tensors.Optim;

namespace Research.Rl.Algorithms;

/// <summary>
/// What every algorithm shares (Stable-Baselines' <c>BaseAlgorithm</c> and RLlib's <c>Algorithm</c>): <see cref="Train"/> and
/// <see cref="Learn"/> over the planned budget, prediction, model files and whole-state checkpoints. The parts with a job of their
/// own are separate: <see cref="TrainingEnvironment"/> (the env and its start), <see cref="TrainingProgress"/> (counters, budget),
/// <see cref="IterationMetrics"/> (sinks and the per-iteration dump), <see cref="PolicyInput"/> (observation normalization for
/// prediction). A subclass implements <see cref="TrainIteration"/>, <see cref="Policy"/> and <see cref="Optimizers"/>, and
/// overrides the few hooks it needs (listed in docs/architecture.md).
/// </summary>
public abstract class AlgorithmBase<TOptions> : IAlgorithm where TOptions : AlgorithmOptions
{
    /// <summary>The file a checkpoint directory holds beside checkpoint.zip when its environments could not be saved: why, in one line (a restored run starts them fresh).</summary>
    public const string NotRestorableFile = "ENVIRONMENTS_NOT_SAVED.txt";

    private readonly float[] _normalizedObservation;
    private readonly TrainingEnvironment _environment;
    private readonly PolicyInput _input;
    private readonly IterationMetrics _metrics;
    private readonly TrainingProgress _progress = new();
    private TrainingCallback? _callback;
    private bool _stopRequested;

    /// <summary>Sets up an algorithm on <paramref name="env"/> (or, when null, on the given spaces for prediction only).</summary>
    protected AlgorithmBase(string name, IVectorEnv? env, Space observationSpace, Space actionSpace, TOptions options)
    {
        Name = name;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        SpaceSupport.EnsureActionSpace(name, actionSpace);
        Generator = new Generator(options.Seed is { } seed ? (ulong)seed : (ulong)Random.Shared.NextInt64());
        if (options.Seed is { } s) actionSpace.Seed(s);
        _environment = new TrainingEnvironment(name, observationSpace, actionSpace);
        _input = new PolicyInput(observationSpace);
        _metrics = new IterationMetrics(options.Verbose);
        _normalizedObservation = new float[observationSpace.FlatSize];
        if (env is not null) SetEnv(env);
    }

    /// <summary>Sets up an algorithm on <paramref name="env"/>.</summary>
    protected AlgorithmBase(string name, IVectorEnv env, TOptions options)
        : this(name, env, env.SingleObservationSpace, env.SingleActionSpace, options) { }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The hyperparameters.</summary>
    public TOptions Options { get; }

    /// <summary>Space of one observation.</summary>
    public Space ObservationSpace { get; }

    /// <summary>Space of one action.</summary>
    public Space ActionSpace { get; }

    /// <summary>The algorithm's random numbers (initial weights, action sampling, minibatches), seeded from <c>seed</c>.</summary>
    public Generator Generator { get; }

    /// <summary>Counters, the planned budget and the training time.</summary>
    public TrainingProgress Progress => _progress;

    /// <inheritdoc />
    public long NumTimesteps => _progress.NumTimesteps;

    /// <inheritdoc />
    public int Iteration => _progress.Iteration;

    /// <inheritdoc />
    public ICollection<IMetricsSink> MetricsSinks => _metrics.Sinks;

    /// <summary>Averages and dumps the metrics of each iteration to <see cref="MetricsSinks"/>.</summary>
    protected MetricsLogger Logger => _metrics.Logger;

    /// <summary>The last 100 finished training episodes.</summary>
    public EpisodeStatistics Episodes { get; private set; } = new();

    /// <summary>The policy network.</summary>
    public abstract PolicyBase Policy { get; }

    /// <summary>The policy (RLlib's <c>get_policy()</c>).</summary>
    public PolicyBase GetPolicy() => Policy;

    /// <summary>The optimizers by name, saved with the model and in checkpoints; <see cref="UpdateLearningRate"/> sets all of them.</summary>
    protected abstract IReadOnlyList<KeyValuePair<string, Optimizer>> Optimizers { get; }

    /// <summary>Stable-Baselines' <c>_current_progress_remaining</c> of the planned budget (see <see cref="TrainingProgress.Remaining"/>).</summary>
    protected double ProgressRemaining => _progress.Remaining(Name);

    /// <summary>The value of <paramref name="schedule"/> now; a constant needs no budget.</summary>
    protected double ValueAt(Schedule schedule) => schedule.IsConstant ? schedule.Initial : schedule.ValueAt(ProgressRemaining);

    /// <summary>Sets every optimizer's learning rate from <paramref name="schedule"/> at the current progress (the one place this happens); returns the rate.</summary>
    protected double UpdateLearningRate(Schedule schedule)
    {
        double learningRate = ValueAt(schedule);
        foreach (var (_, optimizer) in Optimizers) optimizer.LearningRate = learningRate;
        return learningRate;
    }

    /// <summary>The training environment (see <see cref="TrainingEnvironment"/>); training starts it explicitly.</summary>
    protected IVectorEnv Env => _environment.Required;

    /// <summary>The environment, or null when loaded without one (Stable-Baselines' <c>get_env</c>).</summary>
    public IVectorEnv? GetEnv() => _environment.Env;

    /// <summary>Trains on <paramref name="env"/> from now on; its spaces must equal the model's (Stable-Baselines' <c>set_env</c>).</summary>
    public void SetEnv(IVectorEnv env)
    {
        _environment.Set(env);
        _input.Env = env;
        OnEnvChanged(env);
    }

    /// <summary>Hook: a new environment is set, before it is reset (e.g. to size per-env buffers).</summary>
    protected virtual void OnEnvChanged(IVectorEnv env) { }

    /// <summary>Hook: the environment was just reset at the start of training (e.g. to mark episode starts).</summary>
    protected virtual void OnEnvReset() { }

    /// <summary>Hook: one iteration (collection and update); returns learner statistics (reported as <c>train/&lt;name&gt;</c> and <c>info/learner/&lt;name&gt;</c>), or null when a callback stopped collection.</summary>
    protected abstract IReadOnlyList<KeyValuePair<string, double>>? TrainIteration();

    /// <inheritdoc />
    /// <remarks>The first call starts training with the options' <c>total_timesteps</c> as the planned budget, as a sweep trial does.</remarks>
    public ResultRow Train()
    {
        if (!_environment.Started) StartTraining(Options.TotalTimesteps, resetNumTimesteps: false);
        if (!_metrics.ClockRunning) _metrics.RestartClock(NumTimesteps);
        var clock = Stopwatch.StartNew();
        Episodes.StartIteration();
        var learner = TrainIteration();
        double seconds = clock.Elapsed.TotalSeconds;
        _progress.TimeTotalSeconds += seconds;
        if (learner is null)
        {
            _stopRequested = true;
            return ResultRows.Create(Episodes, NumTimesteps, Iteration, seconds, _progress.TimeTotalSeconds);
        }
        _progress.Iteration++;
        _metrics.Dump(Episodes, NumTimesteps, Iteration, learner, Policy, Options.HistogramFrequency);
        return ResultRows.Create(Episodes, NumTimesteps, Iteration, seconds, _progress.TimeTotalSeconds, learner);
    }

    /// <inheritdoc />
    public void Learn(long totalTimesteps, TrainingCallback? callback = null, bool progressBar = false, bool resetNumTimesteps = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalTimesteps);
        StartTraining(totalTimesteps + (resetNumTimesteps ? 0 : NumTimesteps), resetNumTimesteps);
        _metrics.RestartClock(NumTimesteps);
        long end = _progress.PlannedTimesteps!.Value;
        using var bar = progressBar ? new ProgressBarCallback(totalTimesteps) : null;
        _callback = (callback, bar) switch
        {
            (null, null) => null,
            (not null, null) => callback,
            (null, not null) => bar,
            _ => new CallbackList(callback!, bar!),
        };
        _stopRequested = false;
        try
        {
            _callback?.OnTrainingStart(this);
            while (NumTimesteps < end)
            {
                var row = Train();
                if (_stopRequested || (_callback is not null && !_callback.OnIterationEnd(this, row))) break;
            }
        }
        finally
        {
            _callback?.OnTrainingEnd(this);
            _callback = null;
        }
    }

    /// <summary>
    /// The explicit start of training (Stable-Baselines' <c>_setup_learn</c>): checks that every budget-dependent option has a
    /// budget, resets the counters when asked, resets the environment (with the seed the first time), and plans the budget.
    /// </summary>
    private void StartTraining(long? plannedTimesteps, bool resetNumTimesteps)
    {
        Options.EnsureBudget(plannedTimesteps, Name);
        if (resetNumTimesteps)
        {
            _progress.NumTimesteps = 0;
            Episodes = new EpisodeStatistics();
        }
        if (resetNumTimesteps || !_environment.Started)
        {
            _environment.Start(Options.Seed);
            OnEnvReset();
        }
        _progress.PlannedTimesteps = plannedTimesteps;
    }

    /// <summary>Counts one vector step: timesteps, finished episodes, then the callbacks' <c>OnStep</c>; false means stop collecting.</summary>
    protected bool OnEnvStep()
    {
        var env = Env;
        _progress.NumTimesteps += env.NumEnvs;
        Episodes.AddRange(env.CompletedEpisodes);
        return _callback?.OnStep(this) ?? true;
    }

    /// <summary>Throws <see cref="NonFiniteLossException"/> naming the algorithm, the iteration and the loss when <paramref name="value"/> is NaN or infinite.</summary>
    protected void EnsureFinite(string loss, float value)
    {
        if (!float.IsFinite(value))
            throw new NonFiniteLossException($"{Name} iteration {Iteration + 1}: {loss} is {(float.IsNaN(value) ? "NaN" : value > 0 ? "+inf" : "-inf")}; the weights were not updated (lower the learning rate or check the rewards).");
    }

    /// <inheritdoc />
    public void Predict(ReadOnlySpan<float> observation, Span<float> action, bool deterministic = false) =>
        PredictActions(_input.Prepare(observation, _normalizedObservation), 1, action, deterministic);

    /// <summary>The actions for <paramref name="batch"/> observations (<c>batch × ObservationSpace.FlatSize</c> values).</summary>
    public void Predict(ReadOnlySpan<float> observations, int batch, Span<float> actions, bool deterministic = false)
    {
        var scratch = ArrayPool<float>.Shared.Rent(observations.Length);
        try
        {
            PredictActions(_input.Prepare(observations, scratch.AsSpan(0, observations.Length)), batch, actions, deterministic);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Hook: the actions for <paramref name="batch"/> observations already normalized for the policy; the policy's own prediction
    /// unless the algorithm explores differently (DQN's ε-greedy, as Stable-Baselines' <c>DQN.predict</c>).
    /// </summary>
    protected virtual void PredictActions(ReadOnlySpan<float> observations, int batch, Span<float> actions, bool deterministic) =>
        Policy.Predict(observations, batch, actions, deterministic);

    /// <summary>Per observation: class probabilities (Discrete, MultiDiscrete), mean then std (Box), or probabilities of 1 (MultiBinary).</summary>
    public float[] ActionProbability(ReadOnlySpan<float> observations, int batch = 1)
    {
        var result = new float[batch * Policy.Head.ProbabilityCount];
        var normalized = new float[observations.Length];
        Policy.ActionProbability(_input.Prepare(observations, normalized), batch, result);
        return result;
    }

    /// <summary>RLlib's <c>compute_single_action</c>: a new array with the action for one observation (sampled when <paramref name="explore"/>).</summary>
    public float[] ComputeAction(ReadOnlySpan<float> observation, bool explore = true)
    {
        var action = new float[ActionSpace.FlatSize];
        Predict(observation, action, deterministic: !explore);
        return action;
    }

    /// <inheritdoc />
    /// <remarks>Refused (naming the option) when an option is a custom schedule: a C# function cannot be written to a file.</remarks>
    public void Save(string path)
    {
        Options.EnsureSavable(Name);
        CaptureModel().Write(path);
    }

    /// <summary>The model as <see cref="Save"/> writes it, in memory: <c>data.json</c>, weights, optimizer state and normalizer statistics.</summary>
    public ModelArchive CaptureModel()
    {
        var data = ModelArchive.CreateData(Name, Options, ObservationSpace, ActionSpace, NumTimesteps, Iteration);
        WriteModelData(data);
        var normalizer = _input.Export(data);
        return ModelArchive.Create($"{Name} (in memory)", data, Policy.ToNpyArrays(), OptimizerArrays(), normalizer);
    }

    /// <summary>
    /// Takes weights, optimizer state, counters and normalizer statistics from <paramref name="model"/> (saved by this algorithm on
    /// the same spaces); the options stay this object's.
    /// </summary>
    public void RestoreModel(ModelArchive model)
    {
        ArgumentNullException.ThrowIfNull(model);
        AlgorithmModels.EnsureSpaces(model, ObservationSpace, ActionSpace, "this " + Name);
        Policy.LoadNpyArrays(model.Policy, $"{model.Path} ({ModelArchive.PolicyEntry})");
        LoadOptimizerArrays(model.Optimizer, $"{model.Path} ({ModelArchive.OptimizerEntry})");
        _progress.NumTimesteps = model.Property("num_timesteps").GetInt64();
        _progress.Iteration = model.Property("iteration").GetInt32();
        ReadModelData(model);
        _input.Import(model);
    }

    /// <summary>
    /// Loads a model file or checkpoint directory saved by <paramref name="name"/>: <paramref name="create"/> builds the algorithm for
    /// the saved spaces and options, then the model is restored; with <paramref name="env"/> (whose spaces must match) training can
    /// continue — from a checkpoint exactly where it stopped, its environments included.
    /// </summary>
    protected static TAlgorithm LoadModel<TAlgorithm>(string path, IVectorEnv? env, string name, Func<Space, Space, TOptions, TAlgorithm> create)
        where TAlgorithm : AlgorithmBase<TOptions>
    {
        using var reader = SectionReader.Open(ModelArchive.ResolveFile(path));
        var algorithm = LoadModel(ModelArchive.Read(reader, name), env, create);
        if (env is not null && reader.ContainsAny(CheckpointFile.TrainingPrefix))
        {
            algorithm.ReadTrainingSections(reader);
            reader.EnsureAllRead();
        }
        return algorithm;
    }

    /// <summary>Builds the algorithm <paramref name="model"/> describes (its spaces and options) and restores the model into it; see <see cref="LoadModel{TAlgorithm}(string, IVectorEnv?, string, Func{Space, Space, TOptions, TAlgorithm})"/>.</summary>
    protected static TAlgorithm LoadModel<TAlgorithm>(ModelArchive model, IVectorEnv? env, Func<Space, Space, TOptions, TAlgorithm> create)
        where TAlgorithm : AlgorithmBase<TOptions>
    {
        var (observationSpace, actionSpace) = AlgorithmModels.Spaces(model);
        if (env is not null) AlgorithmModels.EnsureSpaces(model, env.SingleObservationSpace, env.SingleActionSpace, "the environment");
        var algorithm = create(observationSpace, actionSpace, AlgorithmModels.SavedOptions<TOptions>(model));
        if (env is not null) algorithm.SetEnv(env);
        algorithm.RestoreModel(model);
        return algorithm;
    }

    private IEnumerable<KeyValuePair<string, NpyArray>> OptimizerArrays() =>
        Optimizers.SelectMany(o => o.Value.StateDict().Select(p =>
            new KeyValuePair<string, NpyArray>($"{o.Key}/{p.Key}", new NpyArray(p.Value.ToArray(), p.Value.Shape.ToArray()))));

    private void LoadOptimizerArrays(IReadOnlyDictionary<string, NpyArray> arrays, string source)
    {
        foreach (var (optimizerName, optimizer) in Optimizers)
        {
            string prefix = optimizerName + "/";
            var state = arrays.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
                .ToDictionary(p => p.Key[prefix.Length..], p => Tensor.FromArray(p.Value.AsFloat32(), p.Value.Shape.ToArray()), StringComparer.Ordinal);
            try
            {
                optimizer.LoadStateDict(state);
            }
            catch (ArgumentException e)
            {
                throw new ModelFormatException($"{source}: optimizer '{optimizerName}' does not fit: {e.Message}", e);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>One file, <c>checkpoint.zip</c>: the model's sections (so the directory loads as a model) and the training sections.</remarks>
    public void SaveCheckpoint(string directory)
    {
        var env = _environment.Required;
        var model = CaptureModel();
        CheckpointFile.Write(directory, writer =>
        {
            model.WriteTo(writer);
            WriteTrainingSections(writer);
        });
        if (VectorEnvStack.Find<INonRestorableVectorEnv>(env) is { } unsaved)
            Research.Storage.AtomicFile.WriteAllText(Path.Combine(directory, NotRestorableFile), unsaved.NotRestorableReason + "\n");
    }

    /// <inheritdoc />
    public void RestoreCheckpoint(string directory) => RestoreCheckpoint(directory, CheckpointRestore.SameOptions);

    /// <inheritdoc />
    /// <remarks>A model file (no training sections) restores what it holds: weights, optimizer state, counters, normalizer statistics.</remarks>
    public void RestoreCheckpoint(string directory, CheckpointRestore restore)
    {
        using var reader = SectionReader.Open(ModelArchive.ResolveFile(directory));
        var model = ModelArchive.Read(reader, Name);
        if (restore == CheckpointRestore.SameOptions) AlgorithmModels.EnsureSameOptions(model, Options, Name);
        bool training = reader.ContainsAny(CheckpointFile.TrainingPrefix);
        if (training) _ = _environment.Required;
        RestoreModel(model);
        if (!training) return;
        ReadTrainingSections(reader);
        reader.EnsureAllRead();
    }

    /// <summary>Writes the training sections (<c>training/…</c>: progress, generator, episodes, environment, the subclass's) that make a restore continue exactly.</summary>
    public void WriteTrainingSections(SectionWriter writer)
    {
        var training = writer.Scope(CheckpointFile.TrainingPrefix);
        _progress.WriteState(training);
        training.WriteBinary("generator", w => Generator.State.Write(w));
        training.WriteBinary("episodes", Episodes.WriteState);
        _environment.WriteState(training);
        WriteTrainingState(training);
    }

    /// <summary>Reads what <see cref="WriteTrainingSections"/> wrote (the model's sections are restored separately).</summary>
    public void ReadTrainingSections(SectionReader reader)
    {
        var training = reader.Scope(CheckpointFile.TrainingPrefix);
        _progress.ReadState(training);
        training.ReadBinary("generator", r => Generator.State = GeneratorState.Read(r));
        training.ReadBinary("episodes", Episodes.ReadState);
        _environment.ReadState(training);
        ReadTrainingState(training);
    }

    /// <summary>Hook: writes algorithm-specific training state (episode starts, update counters, a replay buffer) as named sections; an override calls the base.</summary>
    protected virtual void WriteTrainingState(SectionWriter writer) { }

    /// <summary>Hook: reads what <see cref="WriteTrainingState"/> wrote; an override calls the base.</summary>
    protected virtual void ReadTrainingState(SectionReader reader) { }

    /// <summary>Hook: adds what the algorithm needs to predict as it did (beyond weights and counters) to a saved model's <c>data.json</c>.</summary>
    protected virtual void WriteModelData(JsonObject data) { }

    /// <summary>Hook: reads back what <see cref="WriteModelData"/> wrote.</summary>
    protected virtual void ReadModelData(ModelArchive archive) { }

    /// <summary>Flushes the metric sinks.</summary>
    public virtual void Dispose()
    {
        _metrics.Flush();
        GC.SuppressFinalize(this);
    }
}
