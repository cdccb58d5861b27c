using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Abstractions.Algorithms;
using Research.Abstractions.Metrics;
using Research.Abstractions.Options;
using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;
using Research.Plugins.OnPolicy;
using Research.Rl.Algorithms;
using Research.Rl.Imitation;
using Research.Rl.Logging;
using Research.Rl.VectorEnvs;
using Research.Storage;
using Research.Tensors;
using Research.Tensors.Io;
using Research.Tensors.Memory;
using Research.Tensors.Nn;
using Research.Tensors.Optim;

namespace Research.Plugins.Imitation;

/// <summary>
/// Generative Adversarial Imitation Learning (Ho and Ermon 2016) as the imitation library runs it: each round PPO collects a
/// rollout whose rewards come from the discriminator (through <see cref="DiscriminatorRewardEnv"/>) and updates on it, then the
/// discriminator takes <c>disc_updates_per_round</c> minibatch steps of binary cross-entropy, expert pairs against pairs from that rollout.
/// </summary>
/// <remarks>
/// The result row's episode statistics are the environment's raw returns. A saved model is one archive: the PPO generator's
/// arrays plus <c>discriminator/…</c> entries, with PPO's own <c>data.json</c> under <c>generator</c>.
/// A checkpoint restores generator, discriminator and counters; the expert batches restart their shuffle order.
/// </remarks>
[Algorithm("GAIL", Description = "Generative adversarial imitation learning: a discriminator's reward trains a PPO generator.")]
public sealed class Gail : IAlgorithm
{
    private const string DiscriminatorPrefix = "discriminator/";
    private const string GeneratorDirectory = "generator", DiscriminatorFile = "discriminator.npz", DiscriminatorOptimizerFile = "discriminator_optimizer.npz", StateFile = "gail_state.bin";
    private readonly Ppo _ppo;
    private readonly DiscriminatorRewardEnv? _rewardEnv;
    private readonly Discriminator _discriminator;
    private readonly Adam _optimizer;
    private readonly Generator _random;
    private readonly MetricsLogger _logger;
    private readonly float[] _inputs, _labels, _pairObservation, _pairAction;
    private ExpertDataset? _dataset;

    /// <summary>GAIL on <paramref name="env"/>; reads and checks the expert data now, so a bad file fails here.</summary>
    public Gail(IVectorEnv env, GailOptions options)
        : this(options, env.SingleObservationSpace, env.SingleActionSpace, env, wrapped => new Ppo(wrapped!, GeneratorOptions(options, env.NumEnvs)))
        => _ = Dataset;

    private Gail(GailOptions options, Space observationSpace, Space actionSpace, IVectorEnv? env, Func<IVectorEnv?, Ppo> createGenerator)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        // A stream of its own, so that the discriminator's draws leave PPO's generator (and so its rollouts) as PPO alone would draw them.
        _random = new Generator((options.Seed is { } seed ? (ulong)seed : (ulong)Random.Shared.NextInt64()) ^ 0x6A09E667F3BCC908UL);
        _discriminator = new Discriminator(observationSpace, actionSpace, options.DiscNetArch, options.DiscActivationFn, _random);
        _optimizer = new Adam(_discriminator.Parameters(), new AdamOptions(LearningRate: options.DiscLearningRate));
        if (env is not null) _rewardEnv = new DiscriminatorRewardEnv(env, _discriminator, options.RewardForm, options.Ppo.NSteps * env.NumEnvs);
        _ppo = createGenerator(_rewardEnv);
        _logger = new MetricsLogger(_ppo.MetricsSinks);
        int rows = 2 * options.DiscBatchSize;
        _inputs = new float[rows * _discriminator.InputSize];
        _labels = new float[rows];
        _pairObservation = new float[observationSpace.FlatSize];
        _pairAction = new float[actionSpace.FlatSize];
    }

    /// <summary>Loads a model saved by <see cref="Save"/>; with <paramref name="env"/> training can continue.</summary>
    public static Gail Load(string path, IVectorEnv? env = null)
    {
        var archive = ModelArchive.Read(path, "GAIL");
        var observationSpace = SpaceJson.FromJson(archive.Property("observation_space"), path);
        var actionSpace = SpaceJson.FromJson(archive.Property("action_space"), path);
        var config = archive.Property("options").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        GailOptions options;
        try
        {
            options = (GailOptions)OptionsBinder.Bind(typeof(GailOptions), config, $"GAIL model {path}");
        }
        catch (OptionsException e)
        {
            throw new ModelFormatException($"{path}: the saved options do not bind: {e.Message}", e);
        }
        var generatorData = JsonNode.Parse(archive.Property("generator").GetRawText())!.AsObject();
        string generatorPath = Path.Combine(Path.GetTempPath(), $"research-gail-{Environment.ProcessId}-{Guid.NewGuid():N}.zip");
        try
        {
            ModelArchive.Write(generatorPath, generatorData, Without(archive.Policy), Without(archive.Optimizer), archive.Normalizer);
            var gail = new Gail(options, observationSpace, actionSpace, env, wrapped => Ppo.Load(generatorPath, wrapped));
            LoadArrays(gail._discriminator, Only(archive.Policy), $"{path} ({ModelArchive.PolicyEntry})");
            LoadArrays(gail._optimizer, Only(archive.Optimizer), $"{path} ({ModelArchive.OptimizerEntry})");
            return gail;
        }
        finally
        {
            File.Delete(generatorPath);
        }
    }

    /// <inheritdoc />
    public string Name => "GAIL";

    /// <summary>The hyperparameters.</summary>
    public GailOptions Options { get; }

    /// <summary>Space of one observation.</summary>
    public Space ObservationSpace { get; }

    /// <summary>Space of one action.</summary>
    public Space ActionSpace { get; }

    /// <summary>The PPO generator (its policy is GAIL's policy).</summary>
    public Ppo PpoGenerator => _ppo;

    /// <summary>The discriminator.</summary>
    public Discriminator Discriminator => _discriminator;

    /// <summary>The expert data in use.</summary>
    public ExpertDataset Dataset => _dataset ??= LoadDataset();

    /// <inheritdoc />
    public long NumTimesteps => _ppo.NumTimesteps;

    /// <inheritdoc />
    public int Iteration => _ppo.Iteration;

    /// <inheritdoc />
    public ICollection<IMetricsSink> MetricsSinks => _ppo.MetricsSinks;

    /// <inheritdoc />
    public ResultRow Train()
    {
        var row = _ppo.Train();
        AddDiscriminatorRound(row);
        return row;
    }

    /// <inheritdoc />
    public void Learn(long totalTimesteps, TrainingCallback? callback = null, bool progressBar = false, bool resetNumTimesteps = true) =>
        _ppo.Learn(totalTimesteps, new RoundCallback(this, callback), progressBar, resetNumTimesteps);

    /// <inheritdoc />
    public void Predict(ReadOnlySpan<float> observation, Span<float> action, bool deterministic = false) => _ppo.Predict(observation, action, deterministic);

    /// <summary>Per observation: the generator policy's class probabilities (Discrete) or mean then std (Box).</summary>
    public float[] ActionProbability(ReadOnlySpan<float> observations, int batch = 1) => _ppo.ActionProbability(observations, batch);

    /// <inheritdoc />
    public void Save(string path)
    {
        string generatorPath = Path.Combine(Path.GetTempPath(), $"research-gail-{Environment.ProcessId}-{Guid.NewGuid():N}.zip");
        try
        {
            _ppo.Save(generatorPath);
            var generator = ModelArchive.Read(generatorPath, "PPO");
            var data = ModelArchive.CreateData(Name, Options, ObservationSpace, ActionSpace, NumTimesteps, Iteration);
            data["generator"] = JsonNode.Parse(generator.Data.GetRawText());
            ModelArchive.Write(path, data,
                generator.Policy.Concat(Prefixed(Arrays(_discriminator.StateDict()))),
                generator.Optimizer.Concat(Prefixed(Arrays(_optimizer.StateDict()))),
                generator.Normalizer);
        }
        finally
        {
            File.Delete(generatorPath);
        }
    }

    /// <inheritdoc />
    public void SaveCheckpoint(string directory)
    {
        AtomicDirectory.Write(directory, temp =>
        {
            _ppo.SaveCheckpoint(Path.Combine(temp, GeneratorDirectory));
            NpzWriter.Write(Path.Combine(temp, DiscriminatorFile), Arrays(_discriminator.StateDict()));
            NpzWriter.Write(Path.Combine(temp, DiscriminatorOptimizerFile), Arrays(_optimizer.StateDict()));
            AtomicFile.Write(Path.Combine(temp, StateFile), stream =>
            {
                using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                var g = _random.State;
                writer.Write(g.S0);
                writer.Write(g.S1);
                writer.Write(g.S2);
                writer.Write(g.S3);
                writer.Write(g.HasSpareNormal);
                writer.Write(g.SpareNormal);
            });
        });
    }

    /// <inheritdoc />
    public void RestoreCheckpoint(string directory)
    {
        string stateFile = Path.Combine(directory, StateFile);
        if (!File.Exists(stateFile)) throw new ModelFormatException($"{directory}: not a GAIL checkpoint (no {StateFile}).");
        _ppo.RestoreCheckpoint(Path.Combine(directory, GeneratorDirectory));
        LoadArrays(_discriminator, ReadNpz(Path.Combine(directory, DiscriminatorFile)), Path.Combine(directory, DiscriminatorFile));
        LoadArrays(_optimizer, ReadNpz(Path.Combine(directory, DiscriminatorOptimizerFile)), Path.Combine(directory, DiscriminatorOptimizerFile));
        try
        {
            using var reader = new BinaryReader(File.OpenRead(stateFile));
            _random.State = new GeneratorState(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadBoolean(), reader.ReadDouble());
        }
        catch (EndOfStreamException e)
        {
            throw new ModelFormatException($"{stateFile}: truncated checkpoint.", e);
        }
    }

    /// <summary>Flushes the metric sinks and stops the expert data's loaders.</summary>
    public void Dispose()
    {
        _dataset?.Dispose();
        _ppo.Dispose();
    }

    private void AddDiscriminatorRound(ResultRow row)
    {
        var (loss, expertAccuracy, generatorAccuracy) = TrainDiscriminator();
        row["info/learner/disc_loss"] = loss;
        row["info/learner/disc_expert_accuracy"] = expertAccuracy;
        row["info/learner/disc_generator_accuracy"] = generatorAccuracy;
        _logger.Record("disc/loss", loss);
        _logger.Record("disc/expert_accuracy", expertAccuracy);
        _logger.Record("disc/generator_accuracy", generatorAccuracy);
        _logger.Dump(NumTimesteps);
    }

    /// <summary>The discriminator's minibatch updates of one round; returns the mean loss and the accuracies on each side.</summary>
    private (double Loss, double ExpertAccuracy, double GeneratorAccuracy) TrainDiscriminator()
    {
        var env = _rewardEnv ?? throw new InvalidOperationException("GAIL has no environment (it was loaded without one); load it with an environment to train.");
        if (env.StoredPairs == 0) throw new InvalidOperationException("GAIL: the discriminator needs generator pairs; run a PPO rollout first.");
        var dataset = Dataset;
        int inputSize = _discriminator.InputSize;
        double lossSum = 0, expertCorrect = 0, generatorCorrect = 0, expertRows = 0;
        for (int update = 0; update < Options.DiscUpdatesPerRound; update++)
        {
            var expert = dataset.GetNextBatch(ExpertSplit.All);
            int half = expert.Count, rows = 2 * half;
            _discriminator.Encode(expert.Observations, expert.Actions, half, _inputs.AsSpan(0, half * inputSize));
            for (int g = 0; g < half; g++)
            {
                env.CopyPair(_random.NextInt(env.StoredPairs), _pairObservation, _pairAction);
                _discriminator.Encode(_pairObservation, _pairAction, 1, _inputs.AsSpan((half + g) * inputSize, inputSize));
            }
            _labels.AsSpan(0, half).Fill(1f);
            _labels.AsSpan(half, half).Fill(0f);
            using (TensorScope.Begin())
            {
                var logits = _discriminator.Logits(Tensor.FromSpan(_inputs.AsSpan(0, rows * inputSize), rows, inputSize));
                var loss = Losses.BinaryCrossEntropyWithLogits(logits, Tensor.FromSpan(_labels.AsSpan(0, rows), rows));
                float value = loss.Item();
                if (!float.IsFinite(value))
                    throw new NonFiniteLossException($"GAIL iteration {Iteration}: the discriminator loss is {value}; the weights were not updated (lower disc_learning_rate).");
                var l = logits.Contiguous().AsSpan();
                for (int k = 0; k < half; k++)
                {
                    if (l[k] > 0) expertCorrect++;
                    if (l[half + k] < 0) generatorCorrect++;
                }
                lossSum += value;
                expertRows += half;
                _optimizer.ZeroGrad();
                loss.Backward();
            }
            _optimizer.Step();
        }
        return (lossSum / Options.DiscUpdatesPerRound, expertCorrect / expertRows, generatorCorrect / expertRows);
    }

    private ExpertDataset LoadDataset()
    {
        if (string.IsNullOrWhiteSpace(Options.ExpertPath))
            throw new ArgumentException("GAIL: expert_path is required (an expert .npz, for example one written by `research expert record`).");
        var options = new ExpertDatasetOptions { BatchSize = Options.DiscBatchSize, TrajLimitation = Options.TrajLimitation, Seed = Options.Seed ?? 0, Verbose = 0 };
        return ExpertDataset.Load(Options.ExpertPath, options, ObservationSpace, ActionSpace);
    }

    private static PpoOptions GeneratorOptions(GailOptions options, int numEnvs) =>
        options.Ppo with { Seed = options.Seed, NEnvs = numEnvs, Verbose = options.Verbose };

    private static IEnumerable<KeyValuePair<string, NpyArray>> Arrays(OrderedDictionary<string, Tensor> state) =>
        state.Select(p => new KeyValuePair<string, NpyArray>(p.Key, new NpyArray(p.Value.ToArray(), p.Value.Shape.ToArray())));

    private static IEnumerable<KeyValuePair<string, NpyArray>> Prefixed(IEnumerable<KeyValuePair<string, NpyArray>> arrays) =>
        arrays.Select(p => new KeyValuePair<string, NpyArray>(DiscriminatorPrefix + p.Key, p.Value));

    private static IEnumerable<KeyValuePair<string, NpyArray>> Without(IReadOnlyDictionary<string, NpyArray> arrays) =>
        arrays.Where(p => !p.Key.StartsWith(DiscriminatorPrefix, StringComparison.Ordinal));

    private static Dictionary<string, NpyArray> Only(IReadOnlyDictionary<string, NpyArray> arrays) =>
        arrays.Where(p => p.Key.StartsWith(DiscriminatorPrefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[DiscriminatorPrefix.Length..], p => p.Value, StringComparer.Ordinal);

    private static Dictionary<string, NpyArray> ReadNpz(string path)
    {
        var archive = NpzArchive.Read(path);
        return archive.Names.ToDictionary(n => n, n => archive[n], StringComparer.Ordinal);
    }

    private static Dictionary<string, Tensor> Tensors(IReadOnlyDictionary<string, NpyArray> arrays) =>
        arrays.ToDictionary(p => p.Key, p => Tensor.FromArray(p.Value.AsFloat32(), p.Value.Shape.ToArray()), StringComparer.Ordinal);

    private static void LoadArrays(Module module, IReadOnlyDictionary<string, NpyArray> arrays, string source)
    {
        try
        {
            module.LoadStateDict(Tensors(arrays));
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{source}: the discriminator's weights do not fit: {e.Message}", e);
        }
    }

    private static void LoadArrays(Optimizer optimizer, IReadOnlyDictionary<string, NpyArray> arrays, string source)
    {
        try
        {
            optimizer.LoadStateDict(Tensors(arrays));
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{source}: the discriminator's optimizer state does not fit: {e.Message}", e);
        }
    }

    /// <summary>Runs the discriminator's round after each PPO iteration inside <see cref="Learn"/> and shows GAIL to the user's callback.</summary>
    private sealed class RoundCallback(Gail gail, TrainingCallback? inner) : TrainingCallback
    {
        public override void OnTrainingStart(IAlgorithm algorithm) => inner?.OnTrainingStart(gail);

        public override bool OnStep(IAlgorithm algorithm) => inner?.OnStep(gail) ?? true;

        public override bool OnIterationEnd(IAlgorithm algorithm, ResultRow result)
        {
            gail.AddDiscriminatorRound(result);
            return inner?.OnIterationEnd(gail, result) ?? true;
        }

        public override void OnTrainingEnd(IAlgorithm algorithm) => inner?.OnTrainingEnd(gail);
    }
}
