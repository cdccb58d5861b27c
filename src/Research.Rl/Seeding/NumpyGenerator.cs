using System.Numerics;
using Research.Abstractions.Environments;

namespace Research.Rl.Seeding;

/// <summary>NumPy's <c>Generator(PCG64(SeedSequence(seed)))</c>, the generator Gymnasium gives every environment, with its draws reproduced bit for bit.</summary>
public sealed class NumpyGenerator : IStateful
{
    private Pcg64 _bits;

    /// <summary>Wraps an already seeded bit generator.</summary>
    public NumpyGenerator(Pcg64 bits) => _bits = bits;

    /// <summary>The generator of <c>numpy.random.default_rng(seed)</c> (and of Gymnasium's <c>reset(seed=seed)</c>); the seed must be non-negative.</summary>
    public static NumpyGenerator FromSeed(BigInteger seed) => new(new Pcg64(SeedSequence.FromInteger(seed)));

    /// <summary>A generator seeded from operating-system entropy, as <c>default_rng()</c> without a seed.</summary>
    public static NumpyGenerator FromEntropy() => new(new Pcg64(SeedSequence.FromEntropy()));

    /// <summary>The underlying bit generator's state.</summary>
    public Pcg64 BitGenerator => _bits;

    /// <summary>The next 64 random bits (<c>bit_generator.random_raw()</c>).</summary>
    public ulong NextUInt64() => _bits.NextUInt64();

    /// <summary>A double in [0, 1) (<c>Generator.random()</c>).</summary>
    public double NextDouble() => _bits.NextDouble();

    /// <summary>One draw of <c>Generator.uniform(low, high)</c>: <c>low + (high − low)·u</c>.</summary>
    public double Uniform(double low, double high)
    {
        double range = high - low;
        if (!double.IsFinite(range)) throw new OverflowException($"NumpyGenerator.Uniform: the range [{low}, {high}] exceeds valid bounds.");
        return low + range * _bits.NextDouble();
    }

    /// <summary>Fills <paramref name="destination"/> as <c>Generator.uniform(low, high, size=len)</c> does, element by element.</summary>
    public void Uniform(double low, double high, Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = Uniform(low, high);
    }

    /// <summary>Fills <paramref name="destination"/> as <c>Generator.uniform(low_array, high_array)</c> does, with per-element bounds.</summary>
    public void Uniform(ReadOnlySpan<double> low, ReadOnlySpan<double> high, Span<double> destination)
    {
        if (low.Length != destination.Length || high.Length != destination.Length)
            throw new ArgumentException($"NumpyGenerator.Uniform: bounds of {low.Length} and {high.Length} elements do not match {destination.Length} draws.");
        for (int i = 0; i < destination.Length; i++) destination[i] = Uniform(low[i], high[i]);
    }

    /// <summary>One draw of <c>Generator.standard_normal()</c>: NumPy's 256-layer ziggurat (the same in NumPy 1.17 to 2.x), bit for bit.</summary>
    /// <remarks>
    /// One 64-bit word gives the layer (low 8 bits), the sign (next bit) and a 52-bit magnitude; 99% of draws end there.
    /// The rest are decided by further doubles from the stream, with the C library's <c>exp</c> and <c>log1p</c> as NumPy uses them.
    /// </remarks>
    public double StandardNormal()
    {
        var ki = ZigguratTables.Ki;
        var wi = ZigguratTables.Wi;
        var fi = ZigguratTables.Fi;
        while (true)
        {
            ulong r = _bits.NextUInt64();
            int layer = (int)(r & 0xff);
            r >>= 8;
            bool negative = (r & 1) != 0;
            ulong magnitude = (r >> 1) & 0x000fffffffffffffUL;
            double x = magnitude * wi[layer];
            if (negative) x = -x;
            if (magnitude < ki[layer]) return x;
            if (layer == 0)
            {
                // The tail beyond r: Marsaglia's exponential rejection, with 1 − U so that log never sees 0.
                while (true)
                {
                    double xx = -ZigguratTables.NormalInverseR * CLibraryMath.Log1P(-_bits.NextDouble());
                    double yy = -CLibraryMath.Log1P(-_bits.NextDouble());
                    if (yy + yy > xx * xx)
                        return ((magnitude >> 8) & 1) != 0 ? -(ZigguratTables.NormalR + xx) : ZigguratTables.NormalR + xx;
                }
            }
            double edge = (fi[layer - 1] - fi[layer]) * _bits.NextDouble() + fi[layer];
            if (edge < Math.Exp(-0.5 * x * x)) return x;
        }
    }

    /// <summary>Fills <paramref name="destination"/> as <c>Generator.standard_normal(size=len)</c> does, element by element.</summary>
    public void StandardNormal(Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = StandardNormal();
    }

    /// <summary>One draw of <c>Generator.integers(low, high)</c> (int64, <paramref name="high"/> excluded), with NumPy's algorithm:
    /// Lemire's bounded draw on 32-bit outputs when the range fits in 32 bits, and no draw at all when it holds one value.</summary>
    public long Integers(long low, long high)
    {
        if (low >= high) throw new ArgumentException($"NumpyGenerator.Integers: low {low} must be below high {high} (high is excluded).");
        ulong range = (ulong)(high - 1 - low);
        if (range == 0) return low;
        if (range > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(high), $"NumpyGenerator.Integers: ranges wider than 2^32 ([{low}, {high})) are not implemented.");
        if (range == uint.MaxValue) return low + _bits.NextUInt32();
        return low + BoundedLemire((uint)range);
    }

    // NumPy's buffered_bounded_lemire_uint32: multiply a 32-bit draw by range + 1, reject the biased low products.
    private uint BoundedLemire(uint range)
    {
        uint exclusive = range + 1;
        ulong product = (ulong)_bits.NextUInt32() * exclusive;
        uint leftover = (uint)product;
        if (leftover < exclusive)
        {
            uint threshold = (uint.MaxValue - range) % exclusive;
            while (leftover < threshold)
            {
                product = (ulong)_bits.NextUInt32() * exclusive;
                leftover = (uint)product;
            }
        }
        return (uint)(product >> 32);
    }

    /// <summary>Writes the 128-bit state and increment, and the buffered 32-bit half-word.</summary>
    public void WriteState(BinaryWriter writer)
    {
        WriteUInt128(writer, _bits.State);
        WriteUInt128(writer, _bits.Increment);
        writer.Write(_bits.BufferedUInt32.HasValue);
        writer.Write(_bits.BufferedUInt32.GetValueOrDefault());
    }

    /// <summary>Restores what <see cref="WriteState"/> wrote.</summary>
    public void ReadState(BinaryReader reader)
    {
        var state = ReadUInt128(reader);
        var increment = ReadUInt128(reader);
        bool hasBuffered = reader.ReadBoolean();
        uint buffered = reader.ReadUInt32();
        _bits = new Pcg64(state, increment, hasBuffered ? buffered : null);
    }

    private static void WriteUInt128(BinaryWriter writer, UInt128 value)
    {
        writer.Write((ulong)(value >> 64));
        writer.Write((ulong)value);
    }

    private static UInt128 ReadUInt128(BinaryReader reader)
    {
        ulong upper = reader.ReadUInt64();
        return new UInt128(upper, reader.ReadUInt64());
    }
}
