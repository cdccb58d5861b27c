namespace Research.Tensors.Distributions;

/// <summary>
/// tanh of a <see cref="DiagGaussian"/> (SAC's policy): log p(a) = log N(u) − Σ log(1 − tanh(u)² + 1e-6), u = atanh(a),
/// as SB3's <c>SquashedDiagGaussianDistribution</c>. There is no closed-form entropy.
/// </summary>
public sealed class SquashedDiagGaussian : IDistribution
{
    /// <summary>SB3's epsilon in the log-determinant correction.</summary>
    public const float Epsilon = 1e-6f;

    /// <summary>The distribution of tanh(u) with u ~ N(mean, exp(logStd)).</summary>
    public SquashedDiagGaussian(Tensor mean, Tensor logStd) => Gaussian = new DiagGaussian(mean, logStd);

    /// <summary>The distribution before squashing.</summary>
    public DiagGaussian Gaussian { get; }

    /// <inheritdoc />
    public Tensor Sample(Generator generator) => Gaussian.Sample(generator).Tanh();

    /// <summary>A reparameterised sample and its log-probability, computed from the pre-tanh value (no atanh round trip).</summary>
    public (Tensor Action, Tensor LogProb) SampleWithLogProb(Generator generator) =>
        SampleWithLogProb(Tensor.Randn(generator, Gaussian.Mean.Shape));

    /// <summary>As <see cref="SampleWithLogProb(Generator)"/> with the standard normal values ε given: u = mean + std·ε, a = tanh(u).</summary>
    public (Tensor Action, Tensor LogProb) SampleWithLogProb(Tensor standardNormal) =>
        SampleWithLogProb(Gaussian.Mean, Gaussian.LogStd, standardNormal);

    /// <summary>
    /// A reparameterised sample a = tanh(mean + exp(logStd)·ε) and its log-probability, without building a distribution object
    /// (SAC's update calls this every gradient step).
    /// </summary>
    public static (Tensor Action, Tensor LogProb) SampleWithLogProb(Tensor mean, Tensor logStd, Tensor standardNormal)
    {
        var std = logStd.Exp();
        var u = mean + std * standardNormal;
        var action = u.Tanh();
        return (action, LogProbFrom(u, action, mean, logStd, std));
    }

    /// <inheritdoc />
    public Tensor LogProb(Tensor actions)
    {
        // atanh with the input kept inside (−1, 1) by float32's epsilon, as SB3's TanhBijector.inverse.
        float limit = 1f - MathF.Pow(2f, -23);
        var clipped = actions.Clamp(-limit, limit);
        var u = (clipped.Log1p() - clipped.Neg().Log1p()) * 0.5f;
        return LogProbFrom(u, actions, Gaussian.Mean, Gaussian.LogStd, Gaussian.Std);
    }

    /// <inheritdoc />
    public Tensor? Entropy() => null;

    /// <inheritdoc />
    public Tensor Mode() => Gaussian.Mean.Tanh();

    private static Tensor LogProbFrom(Tensor u, Tensor action, Tensor mean, Tensor logStd, Tensor std) =>
        DiagGaussian.LogProbOf(u, mean, logStd, std) - (1f - action.Square() + Epsilon).Log().Sum(1);
}
