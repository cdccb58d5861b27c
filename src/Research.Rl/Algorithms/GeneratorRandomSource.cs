using Research.Rl.Buffers;
using Research.Tensors;

namespace Research.Rl.Algorithms;

/// <summary>Lets buffers draw from the algorithm's <see cref="Generator"/>, so one saved generator state covers all of an algorithm's randomness.</summary>
public sealed class GeneratorRandomSource(Generator generator) : IRandomSource
{
    /// <inheritdoc />
    public int NextInt(int maxExclusive) => generator.NextInt(maxExclusive);
}
