using System.Numerics;
using System.Security.Cryptography;

namespace Research.Rl.Seeding;

/// <summary>NumPy's <c>SeedSequence</c> (no spawn key, pool of four 32-bit words): mixes seed entropy into a pool and expands it into generator state.</summary>
/// <remarks>Reproduces <c>numpy.random.SeedSequence(seed).generate_state(n)</c> bit for bit, so seeded generators match NumPy's.</remarks>
public sealed class SeedSequence
{
    private const int PoolSize = 4;
    private const uint InitA = 0x43b0d7e5, MultA = 0x931e8875, InitB = 0x8b51f9dd, MultB = 0x58f38ded;
    private const uint MixMultL = 0xca01f9dd, MixMultR = 0x4973f715;
    private const int XShift = 16;

    private readonly uint[] _pool = new uint[PoolSize];

    /// <summary>Mixes <paramref name="entropy"/> (a non-negative integer as 32-bit words, least significant first) into the pool.</summary>
    public SeedSequence(ReadOnlySpan<uint> entropy)
    {
        if (entropy.IsEmpty) throw new ArgumentException("SeedSequence: entropy needs at least one word.", nameof(entropy));
        uint hashConst = InitA;
        for (int i = 0; i < PoolSize; i++)
            _pool[i] = HashMix(i < entropy.Length ? entropy[i] : 0u, ref hashConst);
        for (int src = 0; src < PoolSize; src++)
            for (int dst = 0; dst < PoolSize; dst++)
                if (src != dst) _pool[dst] = Mix(_pool[dst], HashMix(_pool[src], ref hashConst));
        for (int src = PoolSize; src < entropy.Length; src++)
            for (int dst = 0; dst < PoolSize; dst++)
                _pool[dst] = Mix(_pool[dst], HashMix(entropy[src], ref hashConst));
    }

    /// <summary>The sequence NumPy builds for <c>SeedSequence(seed)</c>; the seed must be non-negative.</summary>
    public static SeedSequence FromInteger(BigInteger seed) => new(ToWords(seed));

    /// <summary>A sequence from 128 bits of operating-system entropy, as NumPy does when no seed is given.</summary>
    public static SeedSequence FromEntropy()
    {
        Span<uint> words = stackalloc uint[4];
        RandomNumberGenerator.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(words));
        return new SeedSequence(words);
    }

    /// <summary>The mixed entropy pool (NumPy's <c>SeedSequence.pool</c>).</summary>
    public IReadOnlyList<uint> Pool => _pool;

    /// <summary>Splits a non-negative integer into 32-bit words, least significant first (NumPy's <c>_coerce_to_uint32_array</c>).</summary>
    public static uint[] ToWords(BigInteger seed)
    {
        if (seed.Sign < 0) throw new ArgumentOutOfRangeException(nameof(seed), seed, "SeedSequence: a seed must be a non-negative integer.");
        if (seed.IsZero) return [0u];
        var words = new List<uint>();
        for (var rest = seed; !rest.IsZero; rest >>= 32) words.Add((uint)(rest & uint.MaxValue));
        return [.. words];
    }

    /// <summary>Fills <paramref name="destination"/> with 32-bit state words (NumPy's <c>generate_state(n, uint32)</c>).</summary>
    public void GenerateState(Span<uint> destination)
    {
        uint hashConst = InitB;
        for (int i = 0; i < destination.Length; i++)
        {
            uint value = _pool[i % PoolSize] ^ hashConst;
            hashConst *= MultB;
            value *= hashConst;
            destination[i] = value ^ (value >> XShift);
        }
    }

    /// <summary>Fills <paramref name="destination"/> with 64-bit state words (NumPy's <c>generate_state(n, uint64)</c>: pairs of 32-bit words, low word first).</summary>
    public void GenerateState(Span<ulong> destination)
    {
        Span<uint> words = stackalloc uint[destination.Length * 2];
        GenerateState(words);
        for (int i = 0; i < destination.Length; i++)
            destination[i] = words[2 * i] | ((ulong)words[2 * i + 1] << 32);
    }

    private static uint HashMix(uint value, ref uint hashConst)
    {
        value ^= hashConst;
        hashConst *= MultA;
        value *= hashConst;
        return value ^ (value >> XShift);
    }

    private static uint Mix(uint x, uint y)
    {
        uint result = MixMultL * x - MixMultR * y;
        return result ^ (result >> XShift);
    }
}
