namespace Research.Tensors.Distributions;

/// <summary>One categorical distribution per row of unnormalised logits [batch, n]; actions are class indices as floats.</summary>
public sealed class Categorical : IDistribution
{
    /// <summary>The distribution with the given logits.</summary>
    public Categorical(Tensor logits)
    {
        if (logits.Rank != 2) throw new ArgumentException($"Categorical needs logits [batch, n], got {Tensor.FormatShape(logits.Shape)}.", nameof(logits));
        LogProbabilities = logits.LogSoftmax(1);
        Logits = logits;
    }

    /// <summary>The logits as given.</summary>
    public Tensor Logits { get; }

    /// <summary>Normalised log-probabilities (log-softmax of the logits).</summary>
    public Tensor LogProbabilities { get; }

    /// <summary>Probabilities (softmax of the logits).</summary>
    public Tensor Probabilities => LogProbabilities.Exp();

    /// <inheritdoc />
    public Tensor LogProb(Tensor actions)
    {
        if (actions.Rank != 1 || actions.Shape[0] != Logits.Shape[0])
            throw new ArgumentException($"Categorical.LogProb needs actions [{Logits.Shape[0]}], got {Tensor.FormatShape(actions.Shape)}.", nameof(actions));
        return LogProbabilities.Gather(1, actions.Unsqueeze(1)).Squeeze(1);
    }

    /// <inheritdoc />
    public Tensor? Entropy() => (Probabilities * LogProbabilities).Sum(1).Neg();

    /// <inheritdoc />
    public Tensor Mode() => Logits.Argmax(1);

    /// <summary>Draws a class per row by inverting the cumulative probabilities with one uniform number each.</summary>
    public Tensor Sample(Generator generator)
    {
        int batch = Logits.Shape[0], n = Logits.Shape[1];
        using var noGrad = GradMode.NoGrad();
        var logp = LogProbabilities.Contiguous().AsSpan();
        var result = Tensor.Empty(batch);
        var r = result.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            double u = generator.NextDouble(), cumulative = 0;
            int chosen = n - 1;
            for (int k = 0; k < n; k++)
            {
                cumulative += Math.Exp(logp[b * n + k]);
                if (u < cumulative)
                {
                    chosen = k;
                    break;
                }
            }
            r[b] = chosen;
        }
        return result;
    }
}
