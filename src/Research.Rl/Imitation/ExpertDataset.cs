using System.Globalization;
using Research.Abstractions.Metrics;
using Research.Abstractions.Spaces;
using Research.Tensors;
using Research.Tensors.Io;

namespace Research.Rl.Imitation;

/// <summary>
/// Stable-Baselines' <c>ExpertDataset</c>: expert transitions split into train and validation sets, served as endless
/// batches of (observation, action) for behaviour cloning and GAIL.
/// </summary>
/// <remarks>
/// Departures from Stable-Baselines, on purpose: <c>traj_limitation</c> keeps exactly the first k episodes (SB's index
/// arithmetic keeps most of episode k + 1 too, and slices <c>episode_returns</c> by a transition count); an epoch has
/// ⌈n / batch⌉ batches (SB adds an empty one when n divides evenly); shuffles come from <see cref="ExpertDatasetOptions.Seed"/>
/// rather than NumPy's global generator; the split can also be by whole episodes.
/// </remarks>
public sealed class ExpertDataset : IDisposable
{
    private readonly ExpertTrajectories _data;
    private readonly ExpertDatasetOptions _options;
    private readonly int[] _trainIndices, _validationIndices, _allIndices;
    private readonly IBatchSource?[] _sources = new IBatchSource?[3];
    private bool _disposed;

    /// <summary>
    /// Uses in-memory trajectories (SB's <c>traj_data</c>). When spaces are given every observation and action is checked
    /// against them; <paramref name="log"/> receives the verbose output (standard output by default).
    /// </summary>
    public ExpertDataset(ExpertTrajectories data, ExpertDatasetOptions? options = null, Space? observationSpace = null, Space? actionSpace = null, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        _options = options ?? new ExpertDatasetOptions();
        Validate(_options, data.Source);
        _data = Limit(data, _options.TrajLimitation);

        ObservationSize = _data.HasImages ? ImageSize(_data, observationSpace) : _data.ObservationSize;
        if (observationSpace is not null) ExpertSpaceCheck.Observations(_data, observationSpace, ObservationSize);
        if (actionSpace is not null) ExpertSpaceCheck.Actions(_data, actionSpace);

        _allIndices = [.. Enumerable.Range(0, _data.Count)];
        (_trainIndices, _validationIndices) = Split();
        Returns = _data.EpisodeReturns;
        AverageReturn = Returns.Average();
        StdReturn = Math.Sqrt(Returns.Sum(r => (r - AverageReturn) * (r - AverageReturn)) / Returns.Count);

        if (_options.Verbose >= 1)
        {
            log ??= Console.Out;
            log.WriteLine($"obs {NpyArray.FormatShape([_data.Count, .. _data.HasImages ? [ObservationSize] : _data.ObservationShape])}{(_data.HasImages ? " (images)" : "")}");
            log.WriteLine($"actions {NpyArray.FormatShape([_data.Count, .. _data.ActionShape])}");
            log.WriteLine($"episode_returns ({Returns.Count},)");
            log.WriteLine($"episode_starts ({_data.Count},)");
            LogInfo(log);
        }
    }

    /// <summary>Reads an expert archive (ours or NumPy's) and builds the dataset; errors name the file, the key or index and the reason.</summary>
    public static ExpertDataset Load(string expertPath, ExpertDatasetOptions? options = null, Space? observationSpace = null, Space? actionSpace = null, TextWriter? log = null) =>
        new(ExpertDataFile.Read(expertPath), options, observationSpace, actionSpace, log);

    /// <summary>Episodes used.</summary>
    public int NumTrajectories => Returns.Count;

    /// <summary>Transitions used.</summary>
    public int NumTransitions => _data.Count;

    /// <summary>Transitions in the training split.</summary>
    public int TrainCount => _trainIndices.Length;

    /// <summary>Transitions in the validation split.</summary>
    public int ValidationCount => _validationIndices.Length;

    /// <summary>The returns of the episodes used.</summary>
    public IReadOnlyList<double> Returns { get; }

    /// <summary>The mean episode return.</summary>
    public double AverageReturn { get; }

    /// <summary>The population standard deviation of the episode returns (NumPy's <c>np.std</c>).</summary>
    public double StdReturn { get; }

    /// <summary>Values per observation row in a batch.</summary>
    public int ObservationSize { get; }

    /// <summary>Values per action row in a batch.</summary>
    public int ActionSize => _data.ActionSize;

    /// <summary>The data in use (after <see cref="ExpertDatasetOptions.TrajLimitation"/>).</summary>
    public ExpertTrajectories Data => _data;

    /// <summary>
    /// The next batch of <paramref name="split"/>, in storage the dataset reuses: valid until the next call for the same split.
    /// After the last batch of an epoch the next epoch starts (reshuffled when <see cref="ExpertDatasetOptions.Randomize"/>).
    /// </summary>
    public ExpertBatch GetNextBatch(ExpertSplit split = ExpertSplit.Train)
    {
        int slot = (int)split;
        if ((uint)slot >= _sources.Length) throw new ArgumentOutOfRangeException(nameof(split), split, "ExpertDataset: unknown split.");
        ObjectDisposedException.ThrowIf(_disposed, this);
        // An empty split would serve empty batches forever (a caller's epoch loop never ends), so asking for one is an error.
        if (split == ExpertSplit.Validation && _validationIndices.Length == 0)
            throw new InvalidOperationException($"ExpertDataset ({_data.Source}): train_fraction = {_options.TrainFraction.ToString(CultureInfo.InvariantCulture)} keeps no validation split, so there are no validation batches; " +
                "check ValidationCount first, or give a train_fraction below 1.");
        var source = _sources[slot] ??= CreateSource(split);
        return source.Next();
    }

    /// <summary>Writes Stable-Baselines' summary: trajectories, transitions, average and std of the returns.</summary>
    public void LogInfo(TextWriter? writer = null)
    {
        writer ??= Console.Out;
        writer.WriteLine($"Total trajectories: {NumTrajectories}");
        writer.WriteLine($"Total transitions: {NumTransitions}");
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Average returns: {AverageReturn}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Std for returns: {StdReturn}"));
    }

    /// <summary>A terminal histogram of the episode returns (SB's <c>plot()</c>, as text).</summary>
    public string FormatReturnHistogram(int bins = 10, int width = 40) => ReturnHistogram.Format(Returns, bins, width);

    /// <summary>Sends the episode returns as a histogram to a metrics sink (for example TensorBoard's).</summary>
    public void RecordReturnHistogram(IMetricsSink sink, string tag = "expert/episode_returns", long step = 0)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var values = new float[Returns.Count];
        for (int i = 0; i < values.Length; i++) values[i] = (float)Returns[i];
        sink.RecordHistogram(tag, values, step);
    }

    /// <summary>Stops the image loaders' background workers.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var source in _sources) source?.Dispose();
    }

    private IBatchSource CreateSource(ExpertSplit split)
    {
        var indices = split switch { ExpertSplit.Train => _trainIndices, ExpertSplit.Validation => _validationIndices, _ => _allIndices };
        ulong seed = (ulong)(uint)_options.Seed * 3 + (ulong)split + 1;
        var order = new EpochOrder(indices, _options.BatchSize, _options.Randomize, seed);
        return _data.HasImages
            ? new ImageBatchSource(order, _data, ObservationSize, _options.Workers, _options.MaxQueueLength)
            : new InMemoryBatchSource(order, _data);
    }

    private (int[] Train, int[] Validation) Split()
    {
        var generator = new Generator((ulong)(uint)_options.Seed);
        int[] train, validation;
        if (_options.SplitBy == ExpertSplitMode.Transitions)
        {
            var permutation = new int[_data.Count];
            generator.Permutation(permutation);
            int trainCount = (int)(_options.TrainFraction * permutation.Length);
            (train, validation) = (permutation[..trainCount], permutation[trainCount..]);
        }
        else
        {
            var episodes = EpisodeRanges(_data.EpisodeStarts);
            var permutation = new int[episodes.Count];
            generator.Permutation(permutation);
            int trainEpisodes = (int)(_options.TrainFraction * permutation.Length);
            train = [.. permutation[..trainEpisodes].SelectMany(e => Enumerable.Range(episodes[e].Start, episodes[e].Length))];
            validation = [.. permutation[trainEpisodes..].SelectMany(e => Enumerable.Range(episodes[e].Start, episodes[e].Length))];
        }
        // train_fraction 1 means no validation split, as SB2 allows.
        if (train.Length == 0 || (validation.Length == 0 && _options.TrainFraction < 1))
            throw new ExpertDataException($"{_data.Source}: train_fraction {_options.TrainFraction} of {_data.Count} transitions in {_data.EpisodeCount} episodes " +
                $"(split by {_options.SplitBy.ToString().ToLowerInvariant()}) leaves the {(train.Length == 0 ? "training" : "validation")} split empty.");
        return (train, validation);
    }

    private static List<(int Start, int Length)> EpisodeRanges(bool[] starts)
    {
        var ranges = new List<(int, int)>();
        int begin = 0;
        for (int i = 1; i <= starts.Length; i++)
        {
            if (i < starts.Length && !starts[i]) continue;
            ranges.Add((begin, i - begin));
            begin = i;
        }
        return ranges;
    }

    private static ExpertTrajectories Limit(ExpertTrajectories data, int episodes)
    {
        if (episodes < 0 || episodes >= data.EpisodeCount) return data;
        int end = EpisodeRanges(data.EpisodeStarts)[episodes].Start;
        return new ExpertTrajectories(
            data.Source,
            data.HasImages ? [] : data.Observations[..(end * data.ObservationSize)],
            data.ObservationShape,
            data.Actions[..(end * data.ActionSize)],
            data.ActionShape,
            data.EpisodeStarts[..end],
            data.EpisodeReturns[..episodes],
            data.Rewards?[..end],
            data.ObservationDType,
            data.ActionDType,
            data.ObservationPaths?.Take(end).ToArray(),
            data.ImageRoot);
    }

    private static int ImageSize(ExpertTrajectories data, Space? observationSpace) =>
        observationSpace?.FlatSize ?? ImageLoader.Decode(data, 0).Pixels.Length;

    private static void Validate(ExpertDatasetOptions options, string source)
    {
        void Fail(string key, object value, string reason) =>
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"ExpertDataset ({source}): {key} = {value}: {reason}."));
        if (!(options.TrainFraction > 0 && options.TrainFraction <= 1)) Fail("train_fraction", options.TrainFraction, "must be above 0 and at most 1 (1: no validation split)");
        if (options.BatchSize <= 0) Fail("batch_size", options.BatchSize, "must be positive");
        if (options.TrajLimitation == 0 || options.TrajLimitation < -1) Fail("traj_limitation", options.TrajLimitation, "must be positive, or -1 for all episodes");
        if (options.Workers <= 0) Fail("workers", options.Workers, "must be positive");
        if (options.MaxQueueLength <= 0) Fail("max_queue_length", options.MaxQueueLength, "must be positive");
    }
}
