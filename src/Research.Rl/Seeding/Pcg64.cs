namespace Research.Rl.Seeding;

/// <summary>NumPy's <c>PCG64</c> bit generator: a 128-bit linear congruential generator with the XSL-RR output function.</summary>
public struct Pcg64
{
    private static readonly UInt128 Multiplier = new(0x2360ED051FC65DA4UL, 0x4385DF649FCCF645UL);

    /// <summary>Seeds like NumPy's <c>PCG64(seed_sequence)</c>: state and stream from <c>generate_state(4, uint64)</c>.</summary>
    public Pcg64(SeedSequence seedSequence)
    {
        Span<ulong> words = stackalloc ulong[4];
        seedSequence.GenerateState(words);
        var initState = new UInt128(words[0], words[1]);
        var initSequence = new UInt128(words[2], words[3]);
        State = 0;
        Increment = (initSequence << 1) | 1;
        Advance();
        State += initState;
        Advance();
    }

    /// <summary>Restores a generator from a saved <see cref="State"/> and <see cref="Increment"/> (and the buffered half-word, if any).</summary>
    public Pcg64(UInt128 state, UInt128 increment, uint? bufferedUInt32 = null)
    {
        if ((increment & 1) == 0) throw new ArgumentException("Pcg64: the increment must be odd.", nameof(increment));
        State = state;
        Increment = increment;
        BufferedUInt32 = bufferedUInt32;
    }

    /// <summary>The 128-bit LCG state (NumPy's <c>bit_generator.state["state"]["state"]</c>).</summary>
    public UInt128 State { get; private set; }

    /// <summary>The odd 128-bit stream increment (NumPy's <c>state["state"]["inc"]</c>).</summary>
    public UInt128 Increment { get; private set; }

    /// <summary>The upper half of the last 64-bit output when only its lower half has been used by <see cref="NextUInt32"/>
    /// (NumPy's <c>has_uint32</c>/<c>uinteger</c>, part of <c>bit_generator.state</c>); null otherwise.</summary>
    public uint? BufferedUInt32 { get; private set; }

    /// <summary>The next 32 random bits (NumPy's <c>next_uint32</c>): the lower half of a fresh 64-bit output, then its upper half.</summary>
    /// <remarks>The buffered half is not touched by <see cref="NextUInt64"/> or <see cref="NextDouble"/>, as in NumPy.</remarks>
    public uint NextUInt32()
    {
        if (BufferedUInt32 is { } buffered)
        {
            BufferedUInt32 = null;
            return buffered;
        }
        ulong next = NextUInt64();
        BufferedUInt32 = (uint)(next >> 32);
        return (uint)next;
    }

    /// <summary>The next 64 random bits (NumPy's <c>random_raw</c>).</summary>
    public ulong NextUInt64()
    {
        Advance();
        var state = State;
        ulong folded = (ulong)(state >> 64) ^ (ulong)state;
        int rotation = (int)(state >> 122);
        return ulong.RotateRight(folded, rotation);
    }

    /// <summary>A double in [0, 1) from the top 53 bits (NumPy's <c>next_double</c>).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    private void Advance() => State = State * Multiplier + Increment;
}
