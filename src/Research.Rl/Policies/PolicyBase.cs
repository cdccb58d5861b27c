using Research.Abstractions.Spaces;
using Research.Tensors;
using Research.Tensors.Distributions;
using Research.Tensors.Io;
using Research.Tensors.Memory;
using Research.Tensors.Nn;

namespace Research.Rl.Policies;

/// <summary>
/// A policy network over an observation and an action space (Stable-Baselines' <c>BasePolicy</c>): preprocessing,
/// a feature extractor, an action head, allocation-free prediction, and weights as named arrays (RLlib's <c>get_weights</c>).
/// </summary>
public abstract class PolicyBase : Module
{
    /// <summary>Creates the shared parts; <paramref name="algorithm"/> names the caller in errors about unsupported spaces.</summary>
    protected PolicyBase(Space observationSpace, Space actionSpace, PolicyOptions options, Generator generator, string algorithm)
    {
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        Options = options;
        Generator = generator;
        Head = ActionHead.For(actionSpace, algorithm);
        if (observationSpace is not (Box or Discrete or MultiDiscrete or MultiBinary or DictSpace))
            throw Algorithms.SpaceSupport.Unsupported(algorithm, observationSpace, "observation");
        FeatureSize = ObservationPreprocessor.FeatureSize(observationSpace);
    }

    /// <summary>Space of one observation.</summary>
    public Space ObservationSpace { get; }

    /// <summary>Space of one action.</summary>
    public Space ActionSpace { get; }

    /// <summary>The <c>policy_kwargs</c> the networks were built from.</summary>
    public PolicyOptions Options { get; }

    /// <summary>How actions are drawn from network outputs.</summary>
    public ActionHead Head { get; }

    /// <summary>Network inputs per observation after preprocessing.</summary>
    public int FeatureSize { get; }

    /// <summary>Draws stochastic actions (shared with the algorithm, so that seeding covers it).</summary>
    protected Generator Generator { get; }

    /// <summary>The feature extractor for <paramref name="space"/>: <see cref="NatureCnn"/> for images, else <see cref="FlattenExtractor"/>.</summary>
    protected static FeatureExtractor CreateExtractor(Space space, PolicyOptions options, Generator generator) =>
        ObservationPreprocessor.IsImage(space)
            ? new NatureCnn(space.Shape, options.FeaturesDim, generator)
            : new FlattenExtractor(ObservationPreprocessor.FeatureSize(space));

    /// <summary>Action-network outputs <c>[batch, Head.ParameterCount]</c> for preprocessed observations.</summary>
    public abstract Tensor ActionParameters(Tensor observations);

    /// <summary>The differentiable action distribution for preprocessed observations (what behaviour cloning's likelihood is taken under).</summary>
    public virtual IDistribution ActionDistribution(Tensor observations) => Head.Distribution(ActionParameters(observations), LogStd);

    /// <summary>The log standard deviation for Gaussian heads ([actions], or [latent, actions or 1] with gSDE), else null.</summary>
    public virtual Tensor? LogStd => null;

    /// <summary>Preprocessed observations <c>[batch, FeatureSize]</c> as a tensor (scoped when a scope is active).</summary>
    public Tensor Preprocess(ReadOnlySpan<float> observations, int batch)
    {
        var t = Tensor.Empty(batch, FeatureSize);
        ObservationPreprocessor.Write(ObservationSpace, observations, batch, t.AsSpan());
        return t;
    }

    /// <summary>The action for one observation; allocates nothing after the first call. Box actions are clipped to their bounds.</summary>
    public void Predict(ReadOnlySpan<float> observation, Span<float> action, bool deterministic = false) =>
        Predict(observation, 1, action, deterministic);

    /// <summary>The actions for <paramref name="batch"/> observations (<c>batch × ObservationSpace.FlatSize</c> values).</summary>
    public void Predict(ReadOnlySpan<float> observations, int batch, Span<float> actions, bool deterministic = false)
    {
        CheckLengths(observations, batch, actions, Head.ActionSize, "actions");
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        WriteActions(Preprocess(observations, batch), batch, deterministic, actions);
        Head.Clip(actions);
    }

    /// <summary>Per observation: class probabilities (Discrete/MultiDiscrete), mean and std (Box) or probabilities of 1 (MultiBinary).</summary>
    public void ActionProbability(ReadOnlySpan<float> observations, int batch, Span<float> destination)
    {
        CheckLengths(observations, batch, destination, Head.ProbabilityCount, "probabilities");
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        WriteProbabilities(Preprocess(observations, batch), batch, destination);
    }

    /// <summary>Unclipped actions for preprocessed observations (inside the caller's scope, without gradients); by default the head's sample or mode of <see cref="ActionParameters"/>.</summary>
    protected virtual void WriteActions(Tensor observations, int batch, bool deterministic, Span<float> actions)
    {
        var parameters = ActionParameters(observations).Contiguous();
        Head.WriteActions(parameters.AsSpan(), LogStdSpan(), batch, deterministic, Generator, actions);
    }

    /// <summary>What <see cref="ActionProbability"/> writes, for preprocessed observations; by default from the head and <see cref="ActionParameters"/>.</summary>
    protected virtual void WriteProbabilities(Tensor observations, int batch, Span<float> destination)
    {
        var parameters = ActionParameters(observations).Contiguous();
        Head.WriteProbabilities(parameters.AsSpan(), LogStdSpan(), batch, destination);
    }

    /// <summary>Called after weights were loaded from arrays (a model file, a checkpoint, an <c>.npz</c>), e.g. to redraw noise that depends on them.</summary>
    protected virtual void OnWeightsLoaded() { }

    /// <summary>A copy of every parameter and buffer by name (RLlib's <c>get_weights</c>).</summary>
    public Dictionary<string, float[]> GetWeights() =>
        StateDict().ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Sets every parameter and buffer from named arrays (RLlib's <c>set_weights</c>); names and sizes must match.</summary>
    public void SetWeights(IReadOnlyDictionary<string, float[]> weights)
    {
        var own = StateDict();
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in weights)
        {
            var shape = own.TryGetValue(name, out var mine) ? mine.Shape.ToArray() : [value.Length];
            if (mine is not null && value.Length != mine.Count)
                throw new ArgumentException($"Weight '{name}' has {value.Length} values but the policy expects {mine.Count} (shape {Tensor.FormatShape(mine.Shape)}).", nameof(weights));
            state[name] = Tensor.FromArray(value, shape);
        }
        LoadStateDict(state);
    }

    /// <summary>The weights as float32 arrays with their shapes, for a <c>.npz</c> that NumPy reads.</summary>
    public IEnumerable<KeyValuePair<string, NpyArray>> ToNpyArrays() =>
        StateDict().Select(p => new KeyValuePair<string, NpyArray>(p.Key, new NpyArray(p.Value.ToArray(), p.Value.Shape.ToArray())));

    /// <summary>Loads weights from arrays named as <see cref="ToNpyArrays"/> writes them; <paramref name="source"/> names the origin in errors.</summary>
    public void LoadNpyArrays(IReadOnlyDictionary<string, NpyArray> arrays, string source)
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, array) in arrays) state[name] = Tensor.FromArray(array.AsFloat32(), array.Shape.ToArray());
        try
        {
            LoadStateDict(state);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: the weights do not fit this policy: {e.Message}", e);
        }
        OnWeightsLoaded();
    }

    /// <summary>Imports weights from a <c>.npz</c> file (for example one written by NumPy from PyTorch's state dict).</summary>
    public void LoadWeights(string npzPath)
    {
        var archive = NpzArchive.Read(npzPath);
        LoadNpyArrays(archive.Names.ToDictionary(n => n, n => archive[n], StringComparer.Ordinal), npzPath);
    }

    /// <summary>Orthogonal initialisation of every linear and convolution layer in <paramref name="module"/>, biases zero (Stable-Baselines' <c>init_weights</c>).</summary>
    protected static void InitOrthogonal(Module module, float gain, Generator generator)
    {
        foreach (var (_, child) in module.Children) InitOrthogonal(child, gain, generator);
        switch (module)
        {
            case Linear linear:
                Init.Orthogonal(linear.Weight, generator, gain);
                if (linear.Bias is not null) Init.Zeros(linear.Bias);
                break;
            case Conv2d conv:
                Init.Orthogonal(conv.Weight, generator, gain);
                if (conv.Bias is not null) Init.Zeros(conv.Bias);
                break;
        }
    }

    private ReadOnlySpan<float> LogStdSpan() => LogStd is { } logStd ? logStd.AsSpan() : default;

    private void CheckLengths(ReadOnlySpan<float> observations, int batch, Span<float> output, int perRow, string what)
    {
        if (batch < 1 || observations.Length != batch * ObservationSpace.FlatSize)
            throw new ArgumentException($"Expected {batch} observation(s) of {ObservationSpace.FlatSize} values for {ObservationSpace}, got {observations.Length} values.");
        if (output.Length != batch * perRow)
            throw new ArgumentException($"Expected room for {batch} × {perRow} {what}, got {output.Length}.");
    }
}
