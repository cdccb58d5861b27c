using Research.Abstractions.Spaces;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers.Normalization;

namespace Research.Rl.Algorithms;

/// <summary>Applies saved <see cref="VecNormalize"/> observation statistics to observations, for a model loaded without its environment.</summary>
public sealed class ObservationNormalizer
{
    private readonly RunningMeanStd _statistics;
    private readonly (int Offset, int Length)[] _segments;
    private readonly double _clip, _epsilon;

    /// <summary>Normalizes observations of <paramref name="space"/> with <paramref name="statistics"/> as <see cref="VecNormalize"/> configured by <paramref name="options"/> would.</summary>
    public ObservationNormalizer(Space space, VecNormalizeOptions options, RunningMeanStd statistics)
    {
        _statistics = statistics;
        _segments = VecNormalize.NormalizedSegments(space, options.NormObsKeys);
        _clip = options.ClipObs;
        _epsilon = options.Epsilon;
        ObservationSize = space.FlatSize;
    }

    /// <summary>Values per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Writes the normalized observations (any number of whole rows) into <paramref name="destination"/>.</summary>
    public void Normalize(ReadOnlySpan<float> raw, Span<float> destination)
    {
        raw.CopyTo(destination);
        for (int row = 0; row < raw.Length; row += ObservationSize)
            foreach (var (offset, length) in _segments)
                _statistics.Normalize(raw.Slice(row + offset, length), destination.Slice(row + offset, length), offset, _clip, _epsilon);
    }
}
