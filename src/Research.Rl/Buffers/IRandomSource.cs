namespace Research.Rl.Buffers;

/// <summary>A source of uniform random integers for shuffling and sampling; plug in any seeded generator whose state can be saved.</summary>
public interface IRandomSource
{
    /// <summary>Returns a uniform integer in <c>[0, maxExclusive)</c>; <paramref name="maxExclusive"/> is positive.</summary>
    int NextInt(int maxExclusive);
}
