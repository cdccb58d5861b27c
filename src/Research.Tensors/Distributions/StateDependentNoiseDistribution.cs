namespace Research.Tensors.Distributions;

/// <summary>
/// Generalized state-dependent exploration (gSDE, Raffin et al. 2021; Stable-Baselines' <c>StateDependentNoiseDistribution</c>):
/// actions are mean + latent·W with W ~ N(0, std²) per element, so per row the action is normal with variance
/// (latent²)·(std²) (+ 1e-6). Log-probabilities and entropies are summed over action dimensions.
/// </summary>
/// <remarks>
/// <c>log_std</c> is <c>[latent, actions]</c> (<c>full_std</c>) or <c>[latent, 1]</c> (one value per latent feature, broadcast over
/// actions). The latent features are detached unless <c>learnFeatures</c> (SB3's PPO/A2C detach; its SAC does not).
/// SAC's squashed form (tanh of the sample, log-probabilities through SB3's <c>TanhBijector</c>: the Gaussian value recovered by a
/// clipped atanh and corrected by Σ log(1 − tanh(u)² + 1e-6)) is <see cref="SampleSquashedWithLogProb"/>.
/// </remarks>
public sealed class StateDependentNoiseDistribution : IDistribution
{
    /// <summary>Added to the variance before the square root, as SB3 does, so a zero latent row keeps a positive scale.</summary>
    public const float Epsilon = 1e-6f;

    /// <summary>The distribution for <paramref name="mean"/> [batch, actions], <paramref name="logStd"/> [latent, actions or 1] and <paramref name="latentSde"/> [batch, latent].</summary>
    public StateDependentNoiseDistribution(Tensor mean, Tensor logStd, Tensor latentSde, bool useExpln = false, bool learnFeatures = false)
    {
        if (mean.Rank != 2) throw new ArgumentException($"gSDE needs mean [batch, actions], got {Tensor.FormatShape(mean.Shape)}.", nameof(mean));
        if (latentSde.Rank != 2 || latentSde.Shape[0] != mean.Shape[0])
            throw new ArgumentException($"gSDE needs latent features [{mean.Shape[0]}, latent] for mean {Tensor.FormatShape(mean.Shape)}, got {Tensor.FormatShape(latentSde.Shape)}.", nameof(latentSde));
        int actions = mean.Shape[1], latent = latentSde.Shape[1];
        if (logStd.Rank != 2 || logStd.Shape[0] != latent || (logStd.Shape[1] != actions && logStd.Shape[1] != 1))
            throw new ArgumentException($"gSDE log std must be [{latent}, {actions}] (full_std) or [{latent}, 1], got {Tensor.FormatShape(logStd.Shape)}.", nameof(logStd));
        Mean = mean;
        LatentSde = learnFeatures ? latentSde : latentSde.Detach();
        Std = StdOf(logStd, useExpln).Expand(latent, actions);
        var variance = LatentSde.Square().Matmul(Std.Square());
        Scale = (variance + Epsilon).Sqrt();
        LogScale = Scale.Log();
    }

    /// <summary>[batch, actions].</summary>
    public Tensor Mean { get; }

    /// <summary>The latent features the noise is a function of, [batch, latent] (detached unless learning features).</summary>
    public Tensor LatentSde { get; }

    /// <summary>Standard deviation of each exploration-matrix element, [latent, actions].</summary>
    public Tensor Std { get; }

    /// <summary>Per-row standard deviation of the action, √((latent²)·(std²) + ε), [batch, actions].</summary>
    public Tensor Scale { get; }

    private Tensor LogScale { get; }

    /// <summary>exp(log std), or with <paramref name="useExpln"/> the gSDE paper's expln: exp(x) for x ≤ 0, log1p(x + ε) + 1 above (differentiable; shape kept).</summary>
    public static Tensor StdOf(Tensor logStd, bool useExpln)
    {
        if (!useExpln) return logStd.Exp();
        var below = logStd.Clamp(float.NegativeInfinity, 0f).Exp();
        var above = (logStd.Clamp(0f, float.PositiveInfinity) + (1f + Epsilon)).Log() + 1f;
        return Tensor.Where(logStd.Gt(0f), above, below);
    }

    /// <summary>The scalar form of <see cref="StdOf(Tensor, bool)"/>, for sampling exploration matrices on spans.</summary>
    public static float StdOf(float logStd, bool useExpln) =>
        !useExpln ? MathF.Exp(logStd) : logStd <= 0 ? MathF.Exp(logStd) : float.LogP1(logStd + Epsilon) + 1f;

    /// <inheritdoc />
    public Tensor LogProb(Tensor actions)
    {
        if (!actions.Shape.SequenceEqual(Mean.Shape))
            throw new ArgumentException($"gSDE LogProb needs actions {Tensor.FormatShape(Mean.Shape)}, got {Tensor.FormatShape(actions.Shape)}.", nameof(actions));
        return GaussianLogProb(actions, Mean, Scale, LogScale);
    }

    /// <inheritdoc />
    public Tensor? Entropy() => (LogScale + (0.5f + DiagGaussian.LogSqrtTwoPi)).Sum(1);

    /// <inheritdoc />
    public Tensor Mode() => Mean;

    /// <summary>mean + latent·W for one fresh exploration matrix W ~ N(0, std²) drawn with <paramref name="generator"/> (SB3's single <c>exploration_mat</c>); differentiable in mean and log std.</summary>
    public Tensor Sample(Generator generator) => Sample(Tensor.Randn(generator, Std.Shape));

    /// <summary>
    /// mean + latent·W with the exploration matrix W = std·<paramref name="standardNormal"/> ([latent, actions] of N(0, 1) values);
    /// differentiable in mean, log std and (when learned) the latent features.
    /// </summary>
    public Tensor Sample(Tensor standardNormal)
    {
        if (!standardNormal.Shape.SequenceEqual(Std.Shape))
            throw new ArgumentException($"gSDE Sample needs a [{Std.Shape[0]}, {Std.Shape[1]}] noise matrix, got {Tensor.FormatShape(standardNormal.Shape)}.", nameof(standardNormal));
        return Mean + LatentSde.Matmul(Std * standardNormal);
    }

    /// <summary>
    /// SAC's gSDE step without building a distribution object: a = tanh(mean + latent·(std·ε)) for the exploration matrix's N(0, 1)
    /// values ε ([latent, actions]) and log p(a) through SB3's TanhBijector, with the latent features learned (not detached).
    /// </summary>
    public static (Tensor Action, Tensor LogProb) SampleSquashedWithLogProb(Tensor mean, Tensor logStd, Tensor latentSde, Tensor standardNormal, bool useExpln)
    {
        int latent = latentSde.Shape[1], actions = mean.Shape[1];
        var std = StdOf(logStd, useExpln).Expand(latent, actions);
        var scale = (latentSde.Square().Matmul(std.Square()) + Epsilon).Sqrt();
        var action = (mean + latentSde.Matmul(std * standardNormal)).Tanh();
        return (action, SquashedLogProb(action, mean, scale, scale.Log()));
    }

    // SB3's TanhBijector: the Gaussian value is recovered by atanh of the action clipped to float32's (−1, 1), then corrected.
    private static Tensor SquashedLogProb(Tensor actions, Tensor mean, Tensor scale, Tensor logScale)
    {
        float limit = 1f - MathF.Pow(2f, -23);
        var clipped = actions.Clamp(-limit, limit);
        var gaussian = (clipped.Log1p() - clipped.Neg().Log1p()) * 0.5f;
        return GaussianLogProb(gaussian, mean, scale, logScale) - (1f - gaussian.Tanh().Square() + SquashedDiagGaussian.Epsilon).Log().Sum(1);
    }

    private static Tensor GaussianLogProb(Tensor values, Tensor mean, Tensor scale, Tensor logScale)
    {
        var z = (values - mean) / scale;
        return (z.Square() * -0.5f - logScale - DiagGaussian.LogSqrtTwoPi).Sum(1);
    }
}
