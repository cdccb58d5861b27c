using Research.Tensors;

namespace Research.Rl.Imitation;

/// <summary>
/// The order of a split's transitions in each epoch: the split's indices, shuffled by a generator reseeded from
/// (seed, epoch) when shuffling, so any thread can compute any epoch's order and the batches are reproducible.
/// </summary>
internal sealed class EpochOrder(int[] indices, int batchSize, bool shuffle, ulong seed)
{
    private readonly Generator _generator = new(seed);

    /// <summary>Transitions in the split.</summary>
    public int Length => indices.Length;

    /// <summary>Batches per epoch (the last may be partial).</summary>
    public int BatchesPerEpoch { get; } = (indices.Length + batchSize - 1) / batchSize;

    /// <summary>Transitions per full batch.</summary>
    public int BatchSize => batchSize;

    /// <summary>Writes the order of <paramref name="epoch"/> into <paramref name="destination"/> (of <see cref="Length"/>).</summary>
    public void Fill(long epoch, Span<int> destination)
    {
        indices.CopyTo(destination);
        if (!shuffle) return;
        _generator.Reseed(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(epoch + 1)));
        _generator.Shuffle(destination);
    }

    /// <summary>A copy with its own generator, for another thread.</summary>
    public EpochOrder Clone() => new(indices, batchSize, shuffle, seed);
}
