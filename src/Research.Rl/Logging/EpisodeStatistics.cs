using System.Numerics.Tensors;
using Research.Abstractions.Environments;
using Research.Rl.VectorEnvs;

namespace Research.Rl.Logging;

/// <summary>
/// Returns and lengths of the most recent finished episodes (Stable-Baselines' <c>ep_info_buffer</c>, 100 by default),
/// with counts of all episodes and of this iteration's, for <c>rollout/ep_rew_mean</c> and RLlib's <c>episode_reward_mean</c>.
/// </summary>
/// <remarks>Adding episodes allocates nothing. Statistics of an empty window are NaN.</remarks>
public sealed class EpisodeStatistics : IStateful
{
    private readonly double[] _returns;
    private readonly int[] _lengths;
    private int _next;

    /// <summary>Keeps the last <paramref name="windowSize"/> episodes.</summary>
    public EpisodeStatistics(int windowSize = 100)
    {
        if (windowSize <= 0) throw new ArgumentOutOfRangeException(nameof(windowSize), windowSize, "EpisodeStatistics: the window must be positive.");
        _returns = new double[windowSize];
        _lengths = new int[windowSize];
    }

    /// <summary>Maximum episodes in the window.</summary>
    public int WindowSize => _returns.Length;

    /// <summary>Episodes in the window now.</summary>
    public int Count { get; private set; }

    /// <summary>Episodes finished since creation.</summary>
    public long EpisodesTotal { get; private set; }

    /// <summary>Episodes finished since the last <see cref="StartIteration"/>.</summary>
    public int EpisodesThisIteration { get; private set; }

    /// <summary>Mean return over the window.</summary>
    public double MeanReturn
    {
        get
        {
            if (Count == 0) return double.NaN;
            double total = 0;
            for (int i = 0; i < Count; i++) total += _returns[i];
            return total / Count;
        }
    }

    /// <summary>Smallest return in the window.</summary>
    public double MinReturn => Count == 0 ? double.NaN : TensorPrimitives.Min<double>(_returns.AsSpan(0, Count));

    /// <summary>Largest return in the window.</summary>
    public double MaxReturn => Count == 0 ? double.NaN : TensorPrimitives.Max<double>(_returns.AsSpan(0, Count));

    /// <summary>Mean length over the window.</summary>
    public double MeanLength
    {
        get
        {
            if (Count == 0) return double.NaN;
            long total = 0;
            for (int i = 0; i < Count; i++) total += _lengths[i];
            return (double)total / Count;
        }
    }

    /// <summary>Starts counting <see cref="EpisodesThisIteration"/> from zero.</summary>
    public void StartIteration() => EpisodesThisIteration = 0;

    /// <summary>Adds one finished episode, dropping the oldest when the window is full.</summary>
    public void Add(EpisodeRecord episode)
    {
        _returns[_next] = episode.Return;
        _lengths[_next] = episode.Length;
        _next = (_next + 1) % WindowSize;
        if (Count < WindowSize) Count++;
        EpisodesTotal++;
        EpisodesThisIteration++;
    }

    /// <summary>Adds the episodes a vector step finished (<see cref="IVectorEnv.CompletedEpisodes"/>).</summary>
    public void AddRange(IReadOnlyList<EpisodeRecord> episodes)
    {
        for (int i = 0; i < episodes.Count; i++) Add(episodes[i]);
    }

    /// <inheritdoc />
    public void WriteState(BinaryWriter writer)
    {
        writer.Write(WindowSize);
        writer.Write(Count);
        writer.Write(_next);
        writer.Write(EpisodesTotal);
        writer.Write(EpisodesThisIteration);
        for (int i = 0; i < Count; i++)
        {
            writer.Write(_returns[i]);
            writer.Write(_lengths[i]);
        }
    }

    /// <inheritdoc />
    public void ReadState(BinaryReader reader)
    {
        int window = reader.ReadInt32();
        if (window != WindowSize)
            throw new InvalidDataException($"EpisodeStatistics: the saved window holds {window} episodes; this one holds {WindowSize}.");
        int count = reader.ReadInt32();
        int next = reader.ReadInt32();
        if (count < 0 || count > window || next < 0 || next >= window)
            throw new InvalidDataException($"EpisodeStatistics: saved count {count} or position {next} is outside the window of {window}.");
        Count = count;
        _next = next;
        EpisodesTotal = reader.ReadInt64();
        EpisodesThisIteration = reader.ReadInt32();
        for (int i = 0; i < count; i++)
        {
            _returns[i] = reader.ReadDouble();
            _lengths[i] = reader.ReadInt32();
        }
    }
}
