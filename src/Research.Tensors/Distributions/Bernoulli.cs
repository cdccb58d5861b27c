namespace Research.Tensors.Distributions;

/// <summary>Independent Bernoulli variables from logits [batch, n] (MultiBinary actions); log-probabilities and entropies summed over n.</summary>
public sealed class Bernoulli : IDistribution
{
    /// <summary>The distribution with the given logits.</summary>
    public Bernoulli(Tensor logits)
    {
        if (logits.Rank != 2) throw new ArgumentException($"Bernoulli needs logits [batch, n], got {Tensor.FormatShape(logits.Shape)}.", nameof(logits));
        Logits = logits;
    }

    /// <summary>The logits.</summary>
    public Tensor Logits { get; }

    /// <summary>sigmoid(logits).</summary>
    public Tensor Probabilities => Logits.Sigmoid();

    /// <inheritdoc />
    public Tensor LogProb(Tensor actions)
    {
        if (!actions.Shape.SequenceEqual(Logits.Shape))
            throw new ArgumentException($"Bernoulli.LogProb needs actions {Tensor.FormatShape(Logits.Shape)}, got {Tensor.FormatShape(actions.Shape)}.", nameof(actions));
        return (Logits * actions - Logits.Softplus()).Sum(1);
    }

    /// <inheritdoc />
    public Tensor? Entropy() => (Logits.Softplus() - Logits * Probabilities).Sum(1);

    /// <inheritdoc />
    public Tensor Mode()
    {
        using var noGrad = GradMode.NoGrad();
        return Logits.Gt(0f);
    }

    /// <inheritdoc />
    public Tensor Sample(Generator generator)
    {
        using var noGrad = GradMode.NoGrad();
        var p = Probabilities.AsSpan();
        var result = Tensor.Empty(Logits.Shape);
        var r = result.AsSpan();
        for (int i = 0; i < r.Length; i++) r[i] = generator.NextDouble() < p[i] ? 1f : 0f;
        return result;
    }
}
