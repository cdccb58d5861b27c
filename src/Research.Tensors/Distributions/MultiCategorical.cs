namespace Research.Tensors.Distributions;

/// <summary>Independent categoricals over consecutive slices of logits [batch, Σ nvec] (MultiDiscrete actions [batch, len(nvec)]).</summary>
public sealed class MultiCategorical : IDistribution
{
    private readonly Categorical[] _parts;

    /// <summary>Splits <paramref name="logits"/> by <paramref name="nvec"/>.</summary>
    public MultiCategorical(Tensor logits, IReadOnlyList<int> nvec)
    {
        int total = nvec.Sum();
        if (logits.Rank != 2 || logits.Shape[1] != total)
            throw new ArgumentException($"MultiCategorical needs logits [batch, {total}] for nvec [{string.Join(", ", nvec)}], got {Tensor.FormatShape(logits.Shape)}.", nameof(logits));
        _parts = new Categorical[nvec.Count];
        int start = 0;
        for (int i = 0; i < nvec.Count; i++)
        {
            _parts[i] = new Categorical(logits.Narrow(1, start, nvec[i]));
            start += nvec[i];
        }
    }

    /// <summary>One categorical per component.</summary>
    public IReadOnlyList<Categorical> Parts => _parts;

    /// <inheritdoc />
    public Tensor LogProb(Tensor actions)
    {
        if (actions.Rank != 2 || actions.Shape[1] != _parts.Length)
            throw new ArgumentException($"MultiCategorical.LogProb needs actions [batch, {_parts.Length}], got {Tensor.FormatShape(actions.Shape)}.", nameof(actions));
        var total = _parts[0].LogProb(actions.Select(1, 0));
        for (int i = 1; i < _parts.Length; i++) total = total + _parts[i].LogProb(actions.Select(1, i));
        return total;
    }

    /// <inheritdoc />
    public Tensor? Entropy()
    {
        var total = _parts[0].Entropy()!;
        for (int i = 1; i < _parts.Length; i++) total = total + _parts[i].Entropy()!;
        return total;
    }

    /// <inheritdoc />
    public Tensor Mode() => Tensor.Stack(_parts.Select(p => p.Mode()).ToArray(), 1);

    /// <inheritdoc />
    public Tensor Sample(Generator generator) => Tensor.Stack(_parts.Select(p => p.Sample(generator)).ToArray(), 1);
}
