using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.Wrappers.Normalization;

namespace Research.Rl.VectorEnvs;

/// <summary>
/// Normalizes observations and scales rewards of a vector env with running statistics (Stable-Baselines' <c>VecNormalize</c>).
/// </summary>
/// <remarks>
/// Observations become <c>clip((obs − mean) / sqrt(var + ε), ±ClipObs)</c>, terminal observations included (they do not
/// update the statistics); rewards become <c>clip(reward / sqrt(var(return) + ε), ±ClipReward)</c> where the return is
/// discounted with γ and zeroed at episode ends. <see cref="CompletedEpisodes"/> still reports raw returns.
/// </remarks>
public sealed class VecNormalize : IVectorEnvWrapper, IStateful
{
    private const string ObservationPrefix = "obs_rms";
    private const string ReturnPrefix = "ret_rms";
    private readonly VecNormalizeOptions _options;
    private readonly RunningMeanStd? _observationStatistics;
    private readonly ReturnNormalizer _returns;
    private readonly (int Offset, int Length)[] _segments;
    private readonly int _observationSize;

    /// <summary>Wraps <paramref name="inner"/>, taking ownership of it.</summary>
    public VecNormalize(IVectorEnv inner, VecNormalizeOptions? options = null)
    {
        Inner = inner;
        _options = options ?? new VecNormalizeOptions();
        if (!(_options.ClipObs > 0)) throw new ArgumentOutOfRangeException(nameof(options), _options.ClipObs, "VecNormalize: ClipObs must be positive.");
        if (!(_options.Epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(options), _options.Epsilon, "VecNormalize: Epsilon must be positive.");
        Training = _options.Training;
        _observationSize = inner.SingleObservationSpace.FlatSize;
        _segments = _options.NormObs ? NormalizedSegments(inner.SingleObservationSpace, _options.NormObsKeys) : [];
        if (_options.NormObs) _observationStatistics = new RunningMeanStd(_observationSize);
        _returns = new ReturnNormalizer(inner.NumEnvs, _options.Gamma, _options.Epsilon, _options.ClipReward);
        Observations = new float[inner.Observations.Length];
        TerminalObservations = new float[inner.TerminalObservations.Length];
        Rewards = new float[inner.NumEnvs];
    }

    /// <summary>The wrapped vector env.</summary>
    public IVectorEnv Inner { get; }

    /// <summary>The settings this wrapper was created with.</summary>
    public VecNormalizeOptions Options => _options;

    /// <summary>Whether statistics are updated; false freezes them.</summary>
    public bool Training { get; set; }

    /// <summary>Observation statistics (null when observations are not normalized).</summary>
    public RunningMeanStd? ObservationStatistics => _observationStatistics;

    /// <summary>Statistics of the discounted returns.</summary>
    public RunningMeanStd ReturnStatistics => _returns.Statistics;

    /// <summary>Each environment's running discounted return (zeroed when its episode ends).</summary>
    public IReadOnlyList<double> DiscountedReturns => _returns.Returns;

    /// <summary>The observations before normalization (Stable-Baselines' <c>get_original_obs</c>).</summary>
    public float[] OriginalObservations => Inner.Observations;

    /// <summary>The rewards before scaling (Stable-Baselines' <c>get_original_reward</c>).</summary>
    public float[] OriginalRewards => Inner.Rewards;

    public int NumEnvs => Inner.NumEnvs;
    public Space SingleObservationSpace => Inner.SingleObservationSpace;
    public Space SingleActionSpace => Inner.SingleActionSpace;
    public float[] Observations { get; }
    public float[] Rewards { get; }
    public bool[] Terminated => Inner.Terminated;
    public bool[] Truncated => Inner.Truncated;
    public float[] TerminalObservations { get; }
    public IReadOnlyList<EpisodeRecord> CompletedEpisodes => Inner.CompletedEpisodes;
    public IReadOnlyList<IEnv> Envs => Inner.Envs;

    public void Reset(int? seed = null)
    {
        Inner.Reset(seed);
        _returns.ResetReturns();
        if (Training && _observationStatistics is not null) _observationStatistics.Update<float>(Inner.Observations);
        NormalizeObservations(Inner.Observations, Observations);
        Array.Clear(Rewards);
    }

    public void Step(ReadOnlySpan<float> actions)
    {
        Inner.Step(actions);
        if (Training && _observationStatistics is not null) _observationStatistics.Update<float>(Inner.Observations);
        NormalizeObservations(Inner.Observations, Observations);
        if (Training) _returns.Update(Inner.Rewards);
        if (_options.NormReward) _returns.Normalize(Inner.Rewards, Rewards);
        else Inner.Rewards.CopyTo(Rewards, 0);
        for (int i = 0; i < NumEnvs; i++)
        {
            if (!Inner.Terminated[i] && !Inner.Truncated[i]) continue;
            var row = new Range(i * _observationSize, (i + 1) * _observationSize);
            NormalizeObservations(Inner.TerminalObservations.AsSpan(row), TerminalObservations.AsSpan(row));
            _returns.EndEpisode(i);
        }
    }

    /// <summary>Normalizes whole observations (any number of rows) with the current statistics, e.g. for evaluation.</summary>
    public void NormalizeObservations(ReadOnlySpan<float> raw, Span<float> destination)
    {
        if (raw.Length % _observationSize != 0 || destination.Length != raw.Length)
            throw new ArgumentException($"VecNormalize: {raw.Length} raw and {destination.Length} destination values are not equal whole rows of {_observationSize}.");
        raw.CopyTo(destination);
        if (_observationStatistics is null) return;
        for (int row = 0; row < raw.Length; row += _observationSize)
            foreach (var (offset, length) in _segments)
                _observationStatistics.Normalize(raw.Slice(row + offset, length), destination.Slice(row + offset, length), offset, _options.ClipObs, _options.Epsilon);
    }

    /// <summary>The statistics as named arrays (<c>obs_rms.mean</c>, <c>obs_rms.var</c>, <c>obs_rms.count</c>, <c>ret_rms.*</c>) for storing in a model file.</summary>
    public IReadOnlyDictionary<string, double[]> ExportStatistics()
    {
        var arrays = new Dictionary<string, double[]>();
        _observationStatistics?.Export(arrays, ObservationPrefix);
        _returns.Statistics.Export(arrays, ReturnPrefix);
        return arrays;
    }

    /// <summary>Loads statistics written by <see cref="ExportStatistics"/>.</summary>
    public void ImportStatistics(IReadOnlyDictionary<string, double[]> arrays)
    {
        _observationStatistics?.Import(arrays, ObservationPrefix, nameof(VecNormalize));
        _returns.Statistics.Import(arrays, ReturnPrefix, nameof(VecNormalize));
    }

    /// <summary>Writes the statistics, running returns and current buffers, then the inner vector env's state.</summary>
    public void WriteState(BinaryWriter writer)
    {
        writer.Write(_observationStatistics is not null);
        _observationStatistics?.Write(writer);
        _returns.Write(writer);
        foreach (float x in Observations) writer.Write(x);
        foreach (float r in Rewards) writer.Write(r);
        StatefulInner().WriteState(writer);
    }

    /// <summary>Reads what <see cref="WriteState"/> wrote.</summary>
    public void ReadState(BinaryReader reader)
    {
        bool hasObservationStatistics = reader.ReadBoolean();
        if (hasObservationStatistics != _observationStatistics is not null)
            throw new InvalidDataException($"VecNormalize: the state was written with NormObs = {hasObservationStatistics}, but this one has NormObs = {_options.NormObs}.");
        _observationStatistics?.Read(reader);
        _returns.Read(reader);
        for (int k = 0; k < Observations.Length; k++) Observations[k] = reader.ReadSingle();
        for (int i = 0; i < Rewards.Length; i++) Rewards[i] = reader.ReadSingle();
        StatefulInner().ReadState(reader);
    }

    private IStateful StatefulInner() => Inner as IStateful
        ?? throw new InvalidOperationException($"VecNormalize: the inner vector env ({Inner.GetType().Name}) does not implement IStateful.");

    public void Dispose() => Inner.Dispose();

    /// <summary>The (offset, length) ranges of the flat observation that are normalized.</summary>
    internal static (int Offset, int Length)[] NormalizedSegments(Space space, IReadOnlyList<string>? keys)
    {
        const string expected = "expected a Box or a DictSpace whose normalized keys are Boxes (or set NormObs = false)";
        switch (space)
        {
            case Box box:
                if (keys is not null) throw new ArgumentException($"VecNormalize: NormObsKeys is set but the observation space {space} is not a DictSpace.");
                return [(0, box.FlatSize)];
            case DictSpace dict:
                var names = keys ?? dict.Spaces.Select(s => s.Key).ToArray();
                var known = dict.Spaces.Select(s => s.Key).ToHashSet();
                return names.Select(key =>
                {
                    if (!known.Contains(key))
                        throw new ArgumentException($"VecNormalize: NormObsKeys names '{key}', which {space} does not have; keys: {string.Join(", ", known)}.");
                    if (dict[key] is not Box)
                        throw new ArgumentException($"VecNormalize: observation key '{key}' has space {dict[key]}; {expected}.");
                    return (dict.OffsetOf(key), dict[key].FlatSize);
                }).ToArray();
            default:
                throw new ArgumentException($"VecNormalize: observation space {space} cannot be normalized; {expected}.");
        }
    }
}
