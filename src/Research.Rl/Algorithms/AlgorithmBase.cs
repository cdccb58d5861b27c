using System.Buffers;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.Json;
using Research.Abstractions.Algorithms;
using Research.Abstractions.Environments;
using Research.Abstractions.Metrics;
using Research.Abstractions.Options;
using Research.Abstractions.Spaces;
using Research.Rl.Callbacks;
using Research.Rl.Logging;
using Research.Rl.Policies;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers.Normalization;
using Research.Storage;
using Research.Tensors.Io;
using Research.Tensors.Optim;
using Research.Tensors;

namespace Research.Rl.Algorithms;

/// <summary>
/// What every algorithm shares (Stable-Baselines' <c>BaseAlgorithm</c> and RLlib's <c>Algorithm</c>): the environment,
/// the seeded generator, counters, episode statistics, metrics, <see cref="Train"/>/<see cref="Learn"/>, prediction,
/// model files and whole-state checkpoints. Subclasses implement one iteration in <see cref="TrainIteration"/>.
/// </summary>
public abstract class AlgorithmBase<TOptions> : IAlgorithm where TOptions : AlgorithmOptions
{
    private const string CheckpointMagic = "RLCK";
    private const int CheckpointVersion = 1;
    private const string StateFile = "state.bin";

    /// <summary>The file a checkpoint holds when its environments could not be saved: why, in one line (a restored run starts them fresh).</summary>
    public const string NotRestorableFile = "ENVIRONMENTS_NOT_SAVED.txt";

    private readonly List<IMetricsSink> _sinks = [];
    private readonly float[] _normalizedObservation;
    private IVectorEnv? _env;
    private ObservationNormalizer? _loadedNormalizer;
    private TrainingCallback? _callback;
    private bool _envStarted, _stopRequested;
    private long _totalTimesteps, _timestepsAtLearnStart;
    private double _timeTotalSeconds;
    private readonly Stopwatch _learnClock = new();

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
        Logger = new MetricsLogger(_sinks);
        if (options.Verbose >= 1) _sinks.Add(new StdoutSink());
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

    /// <inheritdoc />
    public long NumTimesteps { get; private set; }

    /// <inheritdoc />
    public int Iteration { get; private set; }

    /// <inheritdoc />
    public ICollection<IMetricsSink> MetricsSinks => _sinks;

    /// <summary>Averages and dumps the metrics of each iteration to <see cref="MetricsSinks"/>.</summary>
    protected MetricsLogger Logger { get; }

    /// <summary>The last 100 finished training episodes.</summary>
    public EpisodeStatistics Episodes { get; private set; } = new();

    /// <summary>The policy network.</summary>
    public abstract PolicyBase Policy { get; }

    /// <summary>The policy (RLlib's <c>get_policy()</c>).</summary>
    public PolicyBase GetPolicy() => Policy;

    /// <summary>The optimizers by name, saved with the model and in checkpoints.</summary>
    protected abstract IReadOnlyList<KeyValuePair<string, Optimizer>> Optimizers { get; }

    /// <summary>Stable-Baselines' <c>_current_progress_remaining</c>: 1 at the start of <see cref="Learn"/>, 0 at its end (1 outside Learn); never negative (SB3 lets the last iteration overshoot to a negative learning rate).</summary>
    protected double ProgressRemaining => _totalTimesteps > 0 ? Math.Max(0.0, 1.0 - (double)NumTimesteps / _totalTimesteps) : 1.0;

    /// <summary>The training environment, started (reset with the seed the first time).</summary>
    protected IVectorEnv Env
    {
        get
        {
            var env = _env ?? throw new InvalidOperationException($"{Name} has no environment (it was loaded without one); call SetEnv first.");
            if (!_envStarted)
            {
                env.Reset(Options.Seed);
                _envStarted = true;
                OnEnvReset();
            }
            return env;
        }
    }

    /// <summary>The environment, or null when loaded without one (Stable-Baselines' <c>get_env</c>).</summary>
    public IVectorEnv? GetEnv() => _env;

    /// <summary>Trains on <paramref name="env"/> from now on; its spaces must equal the model's (Stable-Baselines' <c>set_env</c>).</summary>
    public void SetEnv(IVectorEnv env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (!SpaceJson.AreEqual(env.SingleObservationSpace, ObservationSpace))
            throw new ArgumentException($"{Name}: the environment's observation space {env.SingleObservationSpace} differs from the model's {ObservationSpace}.", nameof(env));
        if (!SpaceJson.AreEqual(env.SingleActionSpace, ActionSpace))
            throw new ArgumentException($"{Name}: the environment's action space {env.SingleActionSpace} differs from the model's {ActionSpace}.", nameof(env));
        _env = env;
        _envStarted = false;
        OnEnvChanged(env);
    }

    /// <summary>Called when a new environment is set, before it is reset (e.g. to size per-env buffers).</summary>
    protected virtual void OnEnvChanged(IVectorEnv env) { }

    /// <summary>Called right after the environment was reset at the start of training (e.g. to mark episode starts).</summary>
    protected virtual void OnEnvReset() { }

    /// <summary>Runs one iteration (collection and update); returns learner statistics (reported as <c>train/&lt;name&gt;</c> and <c>info/learner/&lt;name&gt;</c>), or null when a callback stopped collection.</summary>
    protected abstract IReadOnlyList<KeyValuePair<string, double>>? TrainIteration();

    /// <inheritdoc />
    public ResultRow Train()
    {
        _ = Env;
        if (!_learnClock.IsRunning)
        {
            // Called RLlib-style, without Learn: fps and time_elapsed count from the first iteration.
            _timestepsAtLearnStart = NumTimesteps;
            _learnClock.Start();
        }
        var clock = Stopwatch.StartNew();
        Episodes.StartIteration();
        var learner = TrainIteration();
        double seconds = clock.Elapsed.TotalSeconds;
        _timeTotalSeconds += seconds;
        if (learner is null)
        {
            _stopRequested = true;
            return ResultRows.Create(Episodes, NumTimesteps, Iteration, seconds, _timeTotalSeconds);
        }
        Iteration++;
        DumpMetrics(learner);
        return ResultRows.Create(Episodes, NumTimesteps, Iteration, seconds, _timeTotalSeconds, learner);
    }

    /// <inheritdoc />
    public void Learn(long totalTimesteps, TrainingCallback? callback = null, bool progressBar = false, bool resetNumTimesteps = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalTimesteps);
        if (resetNumTimesteps)
        {
            NumTimesteps = 0;
            Episodes = new EpisodeStatistics();
            if (_envStarted && _env is not null)
            {
                _env.Reset();
                OnEnvReset();
            }
        }
        _totalTimesteps = totalTimesteps + NumTimesteps;
        _timestepsAtLearnStart = NumTimesteps;
        _learnClock.Restart();
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
            while (NumTimesteps < _totalTimesteps)
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

    /// <summary>Counts one vector step: timesteps, finished episodes, then the callbacks' <c>OnStep</c>; false means stop collecting.</summary>
    protected bool OnEnvStep()
    {
        var env = Env;
        NumTimesteps += env.NumEnvs;
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
    public void Predict(ReadOnlySpan<float> observation, Span<float> action, bool deterministic = false)
    {
        PredictActions(NormalizeForPolicy(observation, _normalizedObservation), 1, action, deterministic);
    }

    /// <summary>The actions for <paramref name="batch"/> observations (<c>batch × ObservationSpace.FlatSize</c> values).</summary>
    public void Predict(ReadOnlySpan<float> observations, int batch, Span<float> actions, bool deterministic = false)
    {
        var scratch = ArrayPool<float>.Shared.Rent(observations.Length);
        try
        {
            PredictActions(NormalizeForPolicy(observations, scratch.AsSpan(0, observations.Length)), batch, actions, deterministic);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// The actions for <paramref name="batch"/> observations already normalized for the policy; the policy's own prediction unless
    /// the algorithm explores differently (DQN's ε-greedy, as Stable-Baselines' <c>DQN.predict</c>).
    /// </summary>
    protected virtual void PredictActions(ReadOnlySpan<float> observations, int batch, Span<float> actions, bool deterministic) =>
        Policy.Predict(observations, batch, actions, deterministic);

    /// <summary>Per observation: class probabilities (Discrete, MultiDiscrete), mean then std (Box), or probabilities of 1 (MultiBinary).</summary>
    public float[] ActionProbability(ReadOnlySpan<float> observations, int batch = 1)
    {
        var result = new float[batch * Policy.Head.ProbabilityCount];
        var normalized = new float[observations.Length];
        Policy.ActionProbability(NormalizeForPolicy(observations, normalized), batch, result);
        return result;
    }

    /// <summary>RLlib's <c>compute_single_action</c>: a new array with the action for one observation (sampled when <paramref name="explore"/>).</summary>
    public float[] ComputeAction(ReadOnlySpan<float> observation, bool explore = true)
    {
        var action = new float[ActionSpace.FlatSize];
        Predict(observation, action, deterministic: !explore);
        return action;
    }

    private ReadOnlySpan<float> NormalizeForPolicy(ReadOnlySpan<float> raw, Span<float> scratch)
    {
        if (_env is VecNormalize { Options.NormObs: true } normalize)
        {
            normalize.NormalizeObservations(raw, scratch);
            return scratch;
        }
        if (_env is null && _loadedNormalizer is not null)
        {
            _loadedNormalizer.Normalize(raw, scratch);
            return scratch;
        }
        return raw;
    }

    private void DumpMetrics(IReadOnlyList<KeyValuePair<string, double>> learner)
    {
        if (Episodes.Count > 0)
        {
            Logger.Record("rollout/ep_rew_mean", Episodes.MeanReturn);
            Logger.Record("rollout/ep_len_mean", Episodes.MeanLength);
        }
        double elapsed = Math.Max(_learnClock.Elapsed.TotalSeconds, 1e-9);
        Logger.Record("time/fps", Math.Floor((NumTimesteps - _timestepsAtLearnStart) / elapsed));
        Logger.Record("time/iterations", Iteration);
        Logger.Record("time/time_elapsed", Math.Floor(elapsed));
        Logger.Record("time/total_timesteps", NumTimesteps);
        foreach (var (name, value) in learner) Logger.Record("train/" + name, value);
        Logger.Dump(NumTimesteps);
        if (Options.HistogramFrequency > 0 && Iteration % Options.HistogramFrequency == 0) RecordWeightHistograms();
    }

    private void RecordWeightHistograms()
    {
        foreach (var (name, parameter) in Policy.NamedParameters())
            foreach (var sink in _sinks)
                sink.RecordHistogram("weights/" + name, parameter.AsSpan(), NumTimesteps);
    }

    /// <inheritdoc />
    public void Save(string path)
    {
        var data = ModelArchive.CreateData(Name, Options, ObservationSpace, ActionSpace, NumTimesteps, Iteration);
        WriteModelData(data);
        IEnumerable<KeyValuePair<string, NpyArray>>? normalizer = null;
        if (_env is VecNormalize { Options.NormObs: true } vn)
        {
            data["normalizer"] = new JsonObject
            {
                ["clip_obs"] = vn.Options.ClipObs,
                ["epsilon"] = vn.Options.Epsilon,
                ["norm_obs_keys"] = vn.Options.NormObsKeys is { } keys ? new JsonArray(keys.Select(k => (JsonNode)k).ToArray()) : null,
            };
            normalizer = vn.ExportStatistics().Select(p => new KeyValuePair<string, NpyArray>(p.Key, new NpyArray(p.Value, p.Value.Length))).ToList();
        }
        ModelArchive.Write(path, data, Policy.ToNpyArrays(), OptimizerArrays(), normalizer);
    }

    /// <summary>
    /// Loads a model saved by <paramref name="name"/>: <paramref name="create"/> builds the algorithm for the saved spaces and options,
    /// then weights, optimizer state, counters and normalizer statistics are restored; with <paramref name="env"/> its spaces must match.
    /// </summary>
    protected static TAlgorithm LoadModel<TAlgorithm>(string path, IVectorEnv? env, string name, Func<Space, Space, TOptions, TAlgorithm> create)
        where TAlgorithm : AlgorithmBase<TOptions>
    {
        var archive = ModelArchive.Read(path, name);
        var observationSpace = SpaceJson.FromJson(archive.Property("observation_space"), path);
        var actionSpace = SpaceJson.FromJson(archive.Property("action_space"), path);
        if (env is not null)
        {
            if (!SpaceJson.AreEqual(env.SingleObservationSpace, observationSpace))
                throw new ModelFormatException($"{path}: the model's observation space {observationSpace} does not match the environment's {env.SingleObservationSpace}.");
            if (!SpaceJson.AreEqual(env.SingleActionSpace, actionSpace))
                throw new ModelFormatException($"{path}: the model's action space {actionSpace} does not match the environment's {env.SingleActionSpace}.");
        }
        var optionsJson = archive.Property("options");
        var config = optionsJson.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        TOptions options;
        try
        {
            options = (TOptions)OptionsBinder.Bind(typeof(TOptions), config, $"{name} model {path}");
        }
        catch (OptionsException e)
        {
            throw new ModelFormatException($"{path}: the saved options do not bind: {e.Message}", e);
        }
        var algorithm = create(observationSpace, actionSpace, options);
        algorithm.Policy.LoadNpyArrays(archive.Policy, $"{path} ({ModelArchive.PolicyEntry})");
        algorithm.LoadOptimizerArrays(archive.Optimizer, $"{path} ({ModelArchive.OptimizerEntry})");
        algorithm.NumTimesteps = archive.Property("num_timesteps").GetInt64();
        algorithm.Iteration = archive.Property("iteration").GetInt32();
        algorithm.ReadModelData(archive);
        if (archive.Normalizer is not null) algorithm.ApplyNormalizer(archive, observationSpace);
        if (env is not null) algorithm.SetEnv(env);
        if (env is VecNormalize { Options.NormObs: true } vn && archive.Normalizer is not null)
            vn.ImportStatistics(archive.Normalizer.ToDictionary(p => p.Key, p => p.Value.AsFloat64()));
        return algorithm;
    }

    private void ApplyNormalizer(ModelArchive archive, Space observationSpace)
    {
        var settings = archive.Property("normalizer");
        var keys = settings.GetProperty("norm_obs_keys");
        var options = new VecNormalizeOptions(
            ClipObs: settings.GetProperty("clip_obs").GetDouble(),
            Epsilon: settings.GetProperty("epsilon").GetDouble(),
            NormObsKeys: keys.ValueKind == JsonValueKind.Array ? keys.EnumerateArray().Select(k => k.GetString() ?? "").ToList() : null);
        var statistics = new RunningMeanStd(observationSpace.FlatSize);
        statistics.Import(archive.Normalizer!.ToDictionary(p => p.Key, p => p.Value.AsFloat64()), "obs_rms", archive.Path);
        _loadedNormalizer = new ObservationNormalizer(observationSpace, options, statistics);
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
    public void SaveCheckpoint(string directory)
    {
        var env = _env ?? throw new InvalidOperationException($"{Name} has no environment to checkpoint; call SetEnv first.");
        var statefulEnv = env as IStateful ?? throw new InvalidOperationException($"{Name}: the environment ({env.GetType().Name}) does not implement IStateful, so a checkpoint could not restore it.");
        using var checkpoint = AtomicDirectory.Create(directory);
        string temp = checkpoint.WorkingPath;
        NpzWriter.Write(Path.Combine(temp, ModelArchive.PolicyEntry), Policy.ToNpyArrays());
        NpzWriter.Write(Path.Combine(temp, ModelArchive.OptimizerEntry), OptimizerArrays());
        using (var state = AtomicFile.Create(Path.Combine(temp, StateFile)))
        {
            using var writer = new BinaryWriter(state.Stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(CheckpointMagic);
            writer.Write(CheckpointVersion);
            writer.Write(Name);
            writer.Write(NumTimesteps);
            writer.Write(Iteration);
            writer.Write(_totalTimesteps);
            writer.Write(_timestepsAtLearnStart);
            writer.Write(_timeTotalSeconds);
            writer.Write(_envStarted);
            var g = Generator.State;
            writer.Write(g.S0);
            writer.Write(g.S1);
            writer.Write(g.S2);
            writer.Write(g.S3);
            writer.Write(g.HasSpareNormal);
            writer.Write(g.SpareNormal);
            Episodes.WriteState(writer);
            statefulEnv.WriteState(writer);
            WriteTrainingState(writer);
            writer.Flush();
            state.Commit();
        }
        SaveCheckpointFiles(temp);
        if (VectorEnvStack.Find<INonRestorableVectorEnv>(env) is { } unsaved)
            File.WriteAllText(Path.Combine(temp, NotRestorableFile), unsaved.NotRestorableReason + Environment.NewLine);
        checkpoint.Commit();
    }

    /// <inheritdoc />
    public void RestoreCheckpoint(string directory)
    {
        var env = _env ?? throw new InvalidOperationException($"{Name} has no environment to restore into; call SetEnv first.");
        var statefulEnv = env as IStateful ?? throw new InvalidOperationException($"{Name}: the environment ({env.GetType().Name}) does not implement IStateful.");
        string stateFile = Path.Combine(directory, StateFile);
        if (!File.Exists(stateFile)) throw new ModelFormatException($"{directory}: not a checkpoint (no {StateFile}).");
        try
        {
            var policy = NpzArchive.Read(Path.Combine(directory, ModelArchive.PolicyEntry));
            Policy.LoadNpyArrays(policy.Names.ToDictionary(n => n, n => policy[n]), policy.File);
            var optimizer = NpzArchive.Read(Path.Combine(directory, ModelArchive.OptimizerEntry));
            LoadOptimizerArrays(optimizer.Names.ToDictionary(n => n, n => optimizer[n]), optimizer.File);
            using var stream = File.OpenRead(stateFile);
            using var reader = new BinaryReader(stream);
            if (reader.ReadString() != CheckpointMagic) throw new ModelFormatException($"{stateFile}: not a checkpoint state file.");
            int version = reader.ReadInt32();
            if (version > CheckpointVersion) throw new ModelFormatException($"{stateFile}: checkpoint version {version} is newer than this build reads (up to {CheckpointVersion}).");
            string algorithm = reader.ReadString();
            if (algorithm != Name) throw new ModelFormatException($"{directory} was saved by {algorithm}, not {Name}.");
            NumTimesteps = reader.ReadInt64();
            Iteration = reader.ReadInt32();
            _totalTimesteps = reader.ReadInt64();
            _timestepsAtLearnStart = reader.ReadInt64();
            _timeTotalSeconds = reader.ReadDouble();
            _envStarted = reader.ReadBoolean();
            Generator.State = new GeneratorState(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadBoolean(), reader.ReadDouble());
            Episodes.ReadState(reader);
            statefulEnv.ReadState(reader);
            // Environments that could not be saved (Python envs behind the bridge) restart fresh, as SB3 does after load.
            if (VectorEnvStack.Find<INonRestorableVectorEnv>(env) is not null) _envStarted = false;
            ReadTrainingState(reader);
            RestoreCheckpointFiles(directory);
        }
        catch (EndOfStreamException e)
        {
            throw new ModelFormatException($"{stateFile}: truncated checkpoint.", e);
        }
        catch (NpyFormatException e)
        {
            throw new ModelFormatException($"{directory}: corrupt checkpoint: {e.Message}", e);
        }
    }

    /// <summary>Writes algorithm-specific training state (last observations, buffer generators, schedules) into the checkpoint.</summary>
    protected virtual void WriteTrainingState(BinaryWriter writer) { }

    /// <summary>Adds what the algorithm needs to predict as it did (beyond weights and counters) to a saved model's <c>data.json</c>.</summary>
    protected virtual void WriteModelData(JsonObject data) { }

    /// <summary>Reads back what <see cref="WriteModelData"/> wrote.</summary>
    protected virtual void ReadModelData(ModelArchive archive) { }

    /// <summary>Reads what <see cref="WriteTrainingState"/> wrote.</summary>
    protected virtual void ReadTrainingState(BinaryReader reader) { }

    /// <summary>Writes large algorithm-specific state (a replay buffer) as files in the checkpoint directory being built.</summary>
    protected virtual void SaveCheckpointFiles(string directory) { }

    /// <summary>Reads what <see cref="SaveCheckpointFiles"/> wrote.</summary>
    protected virtual void RestoreCheckpointFiles(string directory) { }

    /// <summary>Flushes the metric sinks.</summary>
    public virtual void Dispose()
    {
        foreach (var sink in _sinks) sink.Flush();
        GC.SuppressFinalize(this);
    }
}
