using Research.Abstractions.Spaces;
using Research.Rl.Buffers;
using Research.Rl.VectorEnvs;
using Research.Storage;
using Research.Tensors;

namespace Research.Rl.Algorithms;

/// <summary>
/// Stable-Baselines' <c>OffPolicyAlgorithm</c>: each iteration collects <c>train_freq</c> vector steps (or episodes) into a
/// <see cref="ReplayBuffer"/>, with uniformly random actions before <c>learning_starts</c>, then runs <c>gradient_steps</c>
/// updates of the subclass on batches sampled from the buffer. Checkpoints include the buffer.
/// </summary>
public abstract class OffPolicyAlgorithm<TOptions> : AlgorithmBase<TOptions> where TOptions : OffPolicyOptions
{
    /// <summary>The replay buffer's file inside a checkpoint directory.</summary>
    public const string ReplayBufferFile = "replay_buffer.bin";

    private readonly ReplayBatch _batch;
    private ReplayBuffer? _replay;
    private float[] _lastObservations = [], _actions = [];

    /// <summary>Sets up collection on <paramref name="env"/> (or, when null, on the given spaces for prediction only).</summary>
    protected OffPolicyAlgorithm(string name, IVectorEnv? env, Space observationSpace, Space actionSpace, TOptions options)
        : base(name, env, observationSpace, actionSpace, options)
    {
        _batch = new ReplayBatch(options.BatchSize, observationSpace.FlatSize, actionSpace.FlatSize);
        Random = new GeneratorRandomSource(Generator);
    }

    /// <summary>Replay sampling draws from the algorithm's generator, so checkpoints cover it.</summary>
    protected IRandomSource Random { get; }

    /// <summary>The transitions collected so far.</summary>
    public ReplayBuffer ReplayBuffer => _replay ?? throw new InvalidOperationException($"{Name} has no environment, hence no replay buffer; call SetEnv first.");

    /// <inheritdoc />
    protected override void OnEnvChanged(IVectorEnv env)
    {
        int n = env.NumEnvs;
        if (Options.TrainFreqUnit == TrainFrequencyUnit.Episode && n > 1)
            throw new ArgumentException($"{Name}: train_freq_unit = episode needs a single environment, got n_envs = {n} (count steps instead).", nameof(env));
        _lastObservations = new float[n * ObservationSpace.FlatSize];
        _actions = new float[n * ActionSpace.FlatSize];
        if (_replay is not null && _replay.NumEnvs == n) return; // a new env of the same width keeps the collected transitions, as set_env does
        _replay = new ReplayBuffer(new ReplayBufferOptions(Options.BufferSize, ObservationSpace.FlatSize, ActionSpace.FlatSize, n,
            Options.OptimizeMemoryUsage, Options.ReplayBufferKwargs.HandleTimeoutTermination, ByteObservations: ObservationSpace is Box { DType: "uint8" }));
    }

    /// <inheritdoc />
    protected sealed override IReadOnlyList<KeyValuePair<string, double>>? TrainIteration()
    {
        if (!CollectRollouts(out int collectedTimesteps)) return null;
        OnRolloutEnd();
        var stats = new List<KeyValuePair<string, double>>();
        if (NumTimesteps > 0 && NumTimesteps > Options.LearningStarts)
        {
            int gradientSteps = Options.GradientSteps >= 0 ? Options.GradientSteps : collectedTimesteps;
            if (gradientSteps > 0)
            {
                double learningRate = Options.LearningRate.ValueAt(ProgressRemaining);
                foreach (var (_, optimizer) in Optimizers) optimizer.LearningRate = learningRate;
                stats.Add(new("learning_rate", learningRate));
                stats.AddRange(Update(gradientSteps));
            }
        }
        return stats;
    }

    /// <summary>Runs <paramref name="gradientSteps"/> updates, each on a batch from <see cref="SampleBatch"/>; returns learner statistics.</summary>
    protected abstract IEnumerable<KeyValuePair<string, double>> Update(int gradientSteps);

    /// <summary>Writes the exploring actions for <paramref name="n"/> observations once learning has started.</summary>
    protected abstract void SelectActions(ReadOnlySpan<float> observations, int n, Span<float> actions);

    /// <summary>Writes the actions of a step before <c>learning_starts</c>; by default uniformly random ones (<see cref="WriteRandomActions"/>).</summary>
    protected virtual void WriteWarmupActions(ReadOnlySpan<float> observations, int n, Span<float> actions) => WriteRandomActions(actions, n);

    /// <summary>
    /// Finishes the chosen actions in place into what the replay buffer stores (e.g. adds action noise) and returns what the environment
    /// steps with (e.g. the stored actions mapped onto the action space's bounds); by default the actions themselves.
    /// </summary>
    protected virtual ReadOnlySpan<float> PrepareActions(Span<float> actions, int n) => actions;

    /// <summary>Called before each collection step; <paramref name="step"/> counts the vector steps of this collection from 0 (gSDE redraws its noise here).</summary>
    protected virtual void BeforeCollectionStep(int step, int n) { }

    /// <summary>Called after <see cref="OnStep"/> for each environment whose episode just ended (action noise resets here).</summary>
    protected virtual void OnEpisodeEnd(int environment) { }

    /// <summary>Called after every vector step once its transitions are stored (Stable-Baselines' <c>_on_step</c>).</summary>
    protected virtual void OnStep() { }

    /// <summary>Called after a collection that was not stopped, before the updates (to record rollout metrics).</summary>
    protected virtual void OnRolloutEnd() { }

    /// <summary>A batch of <c>batch_size</c> transitions drawn uniformly from the buffer; the same storage is reused by every call.</summary>
    protected ReplayBatch SampleBatch()
    {
        ReplayBuffer.Sample(_batch, Random);
        return _batch;
    }

    /// <summary>Writes <paramref name="n"/> uniformly random actions drawn from the algorithm's generator (Stable-Baselines' <c>action_space.sample()</c>).</summary>
    protected void WriteRandomActions(Span<float> actions, int n)
    {
        int size = ActionSpace.FlatSize;
        for (int e = 0; e < n; e++)
        {
            var action = actions.Slice(e * size, size);
            switch (ActionSpace)
            {
                case Discrete d:
                    action[0] = d.Start + Generator.NextInt(d.N);
                    break;
                case MultiDiscrete md:
                    for (int k = 0; k < size; k++) action[k] = Generator.NextInt(md.Nvec[k]);
                    break;
                case MultiBinary:
                    for (int k = 0; k < size; k++) action[k] = Generator.NextInt(2);
                    break;
                case Box { IsBounded: true } box:
                    for (int k = 0; k < size; k++) action[k] = box.Low[k] + (float)Generator.NextDouble() * (box.High[k] - box.Low[k]);
                    break;
                default:
                    throw new NotSupportedException($"{Name}: cannot draw random actions from {ActionSpace}; off-policy warm-up needs a Discrete, MultiDiscrete, MultiBinary or bounded Box space.");
            }
        }
    }

    /// <summary>Saves the replay buffer to <paramref name="path"/> atomically (Stable-Baselines' <c>save_replay_buffer</c>).</summary>
    public void SaveReplayBuffer(string path) => AtomicFile.Write(path, ReplayBuffer.Save);

    /// <summary>Replaces the replay buffer's contents with one saved by <see cref="SaveReplayBuffer"/>; its settings must match.</summary>
    public void LoadReplayBuffer(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException($"{path}: no such replay buffer file.");
        try
        {
            using var stream = File.OpenRead(path);
            ReplayBuffer.Restore(stream);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException($"{path}: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    protected override void SaveCheckpointFiles(string directory) => SaveReplayBuffer(Path.Combine(directory, ReplayBufferFile));

    /// <inheritdoc />
    protected override void RestoreCheckpointFiles(string directory) => LoadReplayBuffer(Path.Combine(directory, ReplayBufferFile));

    private bool CollectRollouts(out int collectedTimesteps)
    {
        var env = Env;
        int n = env.NumEnvs, steps = 0, episodes = 0;
        bool byEpisode = Options.TrainFreqUnit == TrainFrequencyUnit.Episode;
        collectedTimesteps = 0;
        while (byEpisode ? episodes < Options.TrainFreq : steps < Options.TrainFreq)
        {
            env.Observations.AsSpan(0, _lastObservations.Length).CopyTo(_lastObservations);
            BeforeCollectionStep(steps, n);
            if (NumTimesteps < Options.LearningStarts) WriteWarmupActions(_lastObservations, n, _actions);
            else SelectActions(_lastObservations, n, _actions);
            env.Step(PrepareActions(_actions, n));
            steps++;
            collectedTimesteps = steps * n;
            if (!OnEnvStep()) return false;
            ReplayBuffer.Add(_lastObservations, _actions, env);
            OnStep();
            for (int e = 0; e < n; e++)
            {
                if (!env.Terminated[e] && !env.Truncated[e]) continue;
                episodes++;
                OnEpisodeEnd(e);
            }
        }
        return true;
    }
}
