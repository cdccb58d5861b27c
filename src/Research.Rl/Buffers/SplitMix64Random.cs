using Research.Abstractions.Environments;

namespace Research.Rl.Buffers;

/// <summary>A small seeded <see cref="IRandomSource"/> (SplitMix64 with Lemire's unbiased bounded draw) whose whole state is one number.</summary>
/// <remarks>Buffers only need integers in a range; this keeps them usable (and checkpointable) before any other generator is wired in.</remarks>
public sealed class SplitMix64Random : IRandomSource, IStateful
{
    private ulong _state;

    /// <summary>Creates a generator from a seed; equal seeds give equal streams.</summary>
    public SplitMix64Random(long seed) => _state = unchecked((ulong)seed);

    /// <summary>Returns the next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        unchecked
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <inheritdoc />
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "The upper bound must be positive.");
        uint bound = (uint)maxExclusive;
        ulong product = (ulong)(uint)(NextUInt64() >> 32) * bound;
        uint low = (uint)product;
        if (low < bound)
        {
            // Reject the few low products that would make some results more likely than others.
            uint threshold = unchecked(0u - bound) % bound;
            while (low < threshold)
            {
                product = (ulong)(uint)(NextUInt64() >> 32) * bound;
                low = (uint)product;
            }
        }
        return (int)(product >> 32);
    }

    /// <inheritdoc />
    public void WriteState(BinaryWriter writer) => writer.Write(_state);

    /// <inheritdoc />
    public void ReadState(BinaryReader reader) => _state = reader.ReadUInt64();
}
