using Research.Abstractions.Spaces;
using Research.Rl.Algorithms;
using Research.Tensors;
using Research.Tensors.Distributions;

namespace Research.Rl.Policies;

/// <summary>
/// How an action space becomes a distribution over actions (Stable-Baselines' <c>make_proba_distribution</c>): Discrete →
/// categorical, Box → diagonal Gaussian, MultiDiscrete → one categorical per component, MultiBinary → Bernoulli.
/// </summary>
/// <remarks>Sampling, modes and probabilities work on spans so that prediction allocates nothing; <see cref="Distribution"/> builds the differentiable distribution for training.</remarks>
public abstract class ActionHead
{
    private protected ActionHead(Space space) => Space = space;

    /// <summary>The action space.</summary>
    public Space Space { get; }

    /// <summary>Number of outputs the action network produces per observation.</summary>
    public abstract int ParameterCount { get; }

    /// <summary>Whether the distribution has a state-independent log standard deviation parameter.</summary>
    public virtual bool HasLogStd => false;

    /// <summary>Values per action in the flat encoding.</summary>
    public int ActionSize => Space.FlatSize;

    /// <summary>Values <see cref="WriteProbabilities"/> writes per observation.</summary>
    public abstract int ProbabilityCount { get; }

    /// <summary>The differentiable distribution for network outputs <c>[batch, ParameterCount]</c>.</summary>
    public abstract IDistribution Distribution(Tensor parameters, Tensor? logStd);

    /// <summary>Flat actions <c>[batch × ActionSize]</c> as the tensor <see cref="IDistribution.LogProb"/> takes.</summary>
    public abstract Tensor ActionTensor(ReadOnlySpan<float> actions, int batch);

    /// <summary>Writes one action per row: the mode when <paramref name="deterministic"/>, else a sample drawn with <paramref name="generator"/>.</summary>
    public abstract void WriteActions(ReadOnlySpan<float> parameters, ReadOnlySpan<float> logStd, int batch, bool deterministic, Generator generator, Span<float> actions);

    /// <summary>Writes per row: class probabilities (Discrete, MultiDiscrete concatenated), mean then std (Box), or probabilities of 1 (MultiBinary).</summary>
    public abstract void WriteProbabilities(ReadOnlySpan<float> parameters, ReadOnlySpan<float> logStd, int batch, Span<float> destination);

    /// <summary>Clips actions to the space's bounds before they reach an environment (Box only; Stable-Baselines' <c>predict</c>).</summary>
    public virtual void Clip(Span<float> actions) { }

    /// <summary>The head for <paramref name="space"/>; <paramref name="algorithm"/> names the caller when the space has none.</summary>
    public static ActionHead For(Space space, string algorithm) => space switch
    {
        Discrete d => new CategoricalHead(d),
        Box box => new DiagGaussianHead(box),
        MultiDiscrete md => new MultiCategoricalHead(md),
        MultiBinary mb => new BernoulliHead(mb),
        _ => throw SpaceSupport.Unsupported(algorithm, space, "action"),
    };

    private protected static void Softmax(ReadOnlySpan<float> logits, Span<float> destination)
    {
        float max = float.NegativeInfinity;
        foreach (float x in logits) max = Math.Max(max, x);
        double sum = 0;
        for (int k = 0; k < logits.Length; k++) sum += destination[k] = MathF.Exp(logits[k] - max);
        float scale = (float)(1 / sum);
        for (int k = 0; k < logits.Length; k++) destination[k] *= scale;
    }

    private protected static int Argmax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++) if (values[k] > values[best]) best = k;
        return best;
    }

    /// <summary>Inverts the cumulative softmax with one uniform draw, as <see cref="Categorical.Sample"/> does.</summary>
    private protected static int SampleClass(ReadOnlySpan<float> logits, Generator generator)
    {
        float max = float.NegativeInfinity;
        foreach (float x in logits) max = Math.Max(max, x);
        double sum = 0;
        foreach (float x in logits) sum += Math.Exp(x - max);
        double u = generator.NextDouble() * sum, cumulative = 0;
        for (int k = 0; k < logits.Length; k++)
        {
            cumulative += Math.Exp(logits[k] - max);
            if (u < cumulative) return k;
        }
        return logits.Length - 1;
    }
}

/// <summary>Discrete actions: one categorical over <c>n</c> logits (actions offset by the space's start).</summary>
public sealed class CategoricalHead(Discrete space) : ActionHead(space)
{
    /// <inheritdoc />
    public override int ParameterCount => space.N;

    /// <inheritdoc />
    public override int ProbabilityCount => space.N;

    /// <inheritdoc />
    public override IDistribution Distribution(Tensor parameters, Tensor? logStd) => new Categorical(parameters);

    /// <inheritdoc />
    public override Tensor ActionTensor(ReadOnlySpan<float> actions, int batch)
    {
        var t = Tensor.FromSpan(actions, batch);
        return space.Start == 0 ? t : t - space.Start;
    }

    /// <inheritdoc />
    public override void WriteActions(ReadOnlySpan<float> parameters, ReadOnlySpan<float> logStd, int batch, bool deterministic, Generator generator, Span<float> actions)
    {
        int n = space.N;
        for (int b = 0; b < batch; b++)
        {
            var logits = parameters.Slice(b * n, n);
            actions[b] = space.Start + (deterministic ? Argmax(logits) : SampleClass(logits, generator));
        }
    }

    /// <inheritdoc />
    public override void WriteProbabilities(ReadOnlySpan<float> parameters, ReadOnlySpan<float> logStd, int batch, Span<float> destination)
    {
        int n = space.N;
        for (int b = 0; b < batch; b++) Softmax(parameters.Slice(b * n, n), destination.Slice(b * n, n));
    }
}

/// <summary>Box actions: independent normals with a state-independent log standard deviation; actions are clipped to the bounds in prediction.</summary>
public sealed class DiagGaussianHead(Box space) : ActionHead(space)
{
    /// <inheritdoc />
    public override int ParameterCount => space.FlatSize;

    /// <inheritdoc />
    public override bool HasLogStd => true;

    /// <inheritdoc />
    public override int ProbabilityCount => 2 * space.FlatSize;

    /// <inheritdoc />
    public override IDistribution Distribution(Tensor parameters, Tensor? logStd) =>
        new DiagGaussian(parameters, logStd ?? throw new ArgumentNullException(nameof(logStd), "A Gaussian head needs its log std."));

    /// <inheritdoc />
    public override Tensor ActionTensor(ReadOnlySpan<float> actions, int batch) => Tensor.FromSpan(actions, batch, space.FlatSize);

    /// <inheritdoc />
    public override void WriteActions(ReadOnlySpan<float> parameters, ReadOnlySpan<float> logStd, int batch, bool deterministic, Generator generator, Span<float> actions)
    {
        int d = space.FlatSize;
        for (int b = 0; b < batch; b++)
        for (int k = 0; k < d; k++)
            actions[b * d + k] = deterministic
                ? parameters[b * d + k]
                : parameters[b * d + k] + MathF.Exp(logStd[k]) * (float)generator.NextNormal();
    }

    /// <inheritdoc />
    public override void WriteProbabilities(ReadOnlySpan<float> parameters, ReadOnlySpan<float> logStd, int batch, Span<float> destination)
    {
        int d = space.FlatSize;
        for (int b = 0; b < batch; b++)
        for (int k = 0; k < d; k++)
        {
            destination[b * 2 * d + k] = parameters[b * d + k];
            destination[b * 2 * d + d + k] = MathF.Exp(logStd[k]);
        }
    }

    /// <inheritdoc />
    public override void Clip(Span<float> actions)
    {
        int d = space.FlatSize;
        for (int k = 0; k < actions.Length; k++) actions[k] = Math.Clamp(actions[k], space.Low[k % d], space.High[k % d]);
    }
}

/// <summary>MultiDiscrete actions: one categorical per component over its own logits.</summary>
public sealed class MultiCategoricalHead(MultiDiscrete space) : ActionHead(space)
{
    /// <inheritdoc />
    public override int ParameterCount { get; } = space.Nvec.Sum();

    /// <inheritdoc />
    public override int ProbabilityCount => ParameterCount;

    /// <inheritdoc />
    public override IDistribution Distribution(Tensor parameters, Tensor? logStd) => new MultiCategorical(parameters, space.Nvec);

    /// <inheritdoc />
    public override Tensor ActionTensor(ReadOnlySpan<float> actions, int batch) => Tensor.FromSpan(actions, batch, space.Nvec.Length);

    /// <inheritdoc />
    public override void WriteActions(ReadOnlySpan<float> parameters, ReadOnlySpan<float> logStd, int batch, bool deterministic, Generator generator, Span<float> actions)
    {
        int components = space.Nvec.Length;
        for (int b = 0; b < batch; b++)
        for (int i = 0, offset = b * ParameterCount; i < components; offset += space.Nvec[i], i++)
        {
            var logits = parameters.Slice(offset, space.Nvec[i]);
            actions[b * components + i] = deterministic ? Argmax(logits) : SampleClass(logits, generator);
        }
    }

    /// <inheritdoc />
    public override void WriteProbabilities(ReadOnlySpan<float> parameters, ReadOnlySpan<float> logStd, int batch, Span<float> destination)
    {
        for (int b = 0; b < batch; b++)
        for (int i = 0, offset = b * ParameterCount; i < space.Nvec.Length; offset += space.Nvec[i], i++)
            Softmax(parameters.Slice(offset, space.Nvec[i]), destination.Slice(offset, space.Nvec[i]));
    }
}

/// <summary>MultiBinary actions: independent Bernoulli components from logits.</summary>
public sealed class BernoulliHead(MultiBinary space) : ActionHead(space)
{
    /// <inheritdoc />
    public override int ParameterCount => space.N;

    /// <inheritdoc />
    public override int ProbabilityCount => space.N;

    /// <inheritdoc />
    public override IDistribution Distribution(Tensor parameters, Tensor? logStd) => new Bernoulli(parameters);

    /// <inheritdoc />
    public override Tensor ActionTensor(ReadOnlySpan<float> actions, int batch) => Tensor.FromSpan(actions, batch, space.N);

    /// <inheritdoc />
    public override void WriteActions(ReadOnlySpan<float> parameters, ReadOnlySpan<float> logStd, int batch, bool deterministic, Generator generator, Span<float> actions)
    {
        for (int k = 0; k < batch * space.N; k++)
        {
            float p = 1f / (1f + MathF.Exp(-parameters[k]));
            actions[k] = deterministic ? (p > 0.5f ? 1f : 0f) : (generator.NextDouble() < p ? 1f : 0f);
        }
    }

    /// <inheritdoc />
    public override void WriteProbabilities(ReadOnlySpan<float> parameters, ReadOnlySpan<float> logStd, int batch, Span<float> destination)
    {
        for (int k = 0; k < batch * space.N; k++) destination[k] = 1f / (1f + MathF.Exp(-parameters[k]));
    }
}
