namespace Research.Tensors.Distributions;

/// <summary>
/// Independent normals per action dimension: mean [batch, d] and log standard deviation [d] (state-independent, SB3's
/// default) or [batch, d]. Log-probabilities and entropies are summed over dimensions.
/// </summary>
public sealed class DiagGaussian : IDistribution
{
    /// <summary>log √(2π).</summary>
    internal const float LogSqrtTwoPi = 0.918938533204672741780329736406f;

    /// <summary>The distribution with the given parameters.</summary>
    public DiagGaussian(Tensor mean, Tensor logStd)
    {
        if (mean.Rank != 2) throw new ArgumentException($"DiagGaussian needs mean [batch, d], got {Tensor.FormatShape(mean.Shape)}.", nameof(mean));
        bool shared = logStd.Rank == 1 && logStd.Shape[0] == mean.Shape[1];
        if (!shared && !logStd.Shape.SequenceEqual(mean.Shape))
            throw new ArgumentException($"DiagGaussian log std must be [{mean.Shape[1]}] or {Tensor.FormatShape(mean.Shape)}, got {Tensor.FormatShape(logStd.Shape)}.", nameof(logStd));
        Mean = mean;
        LogStd = logStd;
        Std = logStd.Exp();
    }

    /// <summary>[batch, d].</summary>
    public Tensor Mean { get; }

    /// <summary>[d] or [batch, d].</summary>
    public Tensor LogStd { get; }

    /// <summary>exp(log std).</summary>
    public Tensor Std { get; }

    /// <inheritdoc />
    public Tensor LogProb(Tensor actions)
    {
        if (!actions.Shape.SequenceEqual(Mean.Shape))
            throw new ArgumentException($"DiagGaussian.LogProb needs actions {Tensor.FormatShape(Mean.Shape)}, got {Tensor.FormatShape(actions.Shape)}.", nameof(actions));
        return LogProbOf(actions, Mean, LogStd, Std);
    }

    /// <summary>Σ log N(values; mean, std²) over dimension 1, with std = exp(logStd) given too (shared by the squashed Gaussian).</summary>
    internal static Tensor LogProbOf(Tensor values, Tensor mean, Tensor logStd, Tensor std)
    {
        var z = (values - mean) / std;
        return (z.Square() * -0.5f - logStd - LogSqrtTwoPi).Sum(1);
    }

    /// <inheritdoc />
    public Tensor? Entropy() => (LogStd + (0.5f + LogSqrtTwoPi)).Expand(Mean.Shape).Sum(1);

    /// <inheritdoc />
    public Tensor Mode() => Mean;

    /// <summary>mean + std·ε with ε ~ N(0, 1): differentiable in mean and log std.</summary>
    public Tensor Sample(Generator generator) => Mean + Std * Tensor.Randn(generator, Mean.Shape);
}
