using System.Text.Json;
using Research.Abstractions.Metrics;
using Research.Abstractions.Spaces;
using Research.Rl.Imitation;
using Research.Tensors.Io;

namespace Research.Rl.Tests.Imitation;

public sealed class ExpertDatasetTests
{
    private static readonly Box CartPoleObservations = new([-4.8f, float.NegativeInfinity, -0.41887903f, float.NegativeInfinity], [4.8f, float.PositiveInfinity, 0.41887903f, float.PositiveInfinity]);
    private static readonly ExpertDatasetOptions Quiet = new() { Verbose = 0 };

    private static JsonElement NumpyValues(string name) =>
        JsonDocument.Parse(File.ReadAllText(ImitationFixtures.Fixture("numpy_expert_values.json"))).RootElement.GetProperty(name);

    private static float[] Floats(JsonElement e) => [.. e.EnumerateArray().Select(v => (float)v.GetDouble())];

    [Theory]
    [InlineData("numpy_cartpole.npz")]
    [InlineData("numpy_cartpole_compressed.npz")]
    public void NumPy_written_cartpole_archives_load_with_their_dtypes(string file)
    {
        var expected = NumpyValues("numpy_cartpole");
        using var dataset = ExpertDataset.Load(ImitationFixtures.Fixture(file), Quiet, CartPoleObservations, new Discrete(2));

        Assert.Equal(Floats(expected.GetProperty("obs")), dataset.Data.Observations);
        Assert.Equal(Floats(expected.GetProperty("actions")), dataset.Data.Actions);
        Assert.Equal(expected.GetProperty("episode_starts").EnumerateArray().Select(v => v.GetBoolean()), dataset.Data.EpisodeStarts);
        Assert.Equal(3, dataset.NumTrajectories);
        Assert.Equal(15, dataset.NumTransitions);
        Assert.Equal(4, dataset.ObservationSize);
        Assert.Equal(1, dataset.ActionSize);
        Assert.Equal(5, dataset.AverageReturn, 12);
    }

    [Fact]
    public void NumPy_written_continuous_archive_loads_against_a_box_action_space()
    {
        var expected = NumpyValues("numpy_pendulum");
        using var dataset = ExpertDataset.Load(ImitationFixtures.Fixture("numpy_pendulum.npz"), Quiet, new Box(-8, 8, [3]), new Box(-2, 2, [1]));
        Assert.Equal(Floats(expected.GetProperty("actions")), dataset.Data.Actions);
        var returns = expected.GetProperty("episode_returns").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(returns, dataset.Returns);
        double mean = returns.Average();
        Assert.Equal(Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / 3), dataset.StdReturn, 12);
    }

    [Fact]
    public void Transition_split_follows_train_fraction_and_covers_every_transition_once()
    {
        using var dataset = ExpertDataset.Load(ImitationFixtures.Fixture("numpy_cartpole.npz"), Quiet with { BatchSize = 4 });
        Assert.Equal((10, 5), (dataset.TrainCount, dataset.ValidationCount));

        var trainRows = EpochRows(dataset, ExpertSplit.Train, batches: 3, expectedCounts: [4, 4, 2]);
        var validationRows = EpochRows(dataset, ExpertSplit.Validation, batches: 2, expectedCounts: [4, 1]);
        var all = trainRows.Concat(validationRows).ToList();
        Assert.Equal(15, all.Distinct().Count());
    }

    [Fact]
    public void Trajectory_split_keeps_each_episode_in_one_split()
    {
        var data = Recorded(episodes: 10, length: 3);
        using var dataset = new ExpertDataset(data, Quiet with { SplitBy = ExpertSplitMode.Trajectories, BatchSize = 100 });
        Assert.Equal((21, 9), (dataset.TrainCount, dataset.ValidationCount));
        // Observation [episode start + step, step]: the episode is the start value rounded down to hundreds.
        var trainEpisodes = Episodes(dataset.GetNextBatch(ExpertSplit.Train));
        var validationEpisodes = Episodes(dataset.GetNextBatch(ExpertSplit.Validation));
        Assert.Equal(7, trainEpisodes.Count);
        Assert.Equal(3, validationEpisodes.Count);
        Assert.Empty(trainEpisodes.Intersect(validationEpisodes));
    }

    [Fact]
    public void Traj_limitation_keeps_exactly_the_first_episodes()
    {
        using var dataset = ExpertDataset.Load(ImitationFixtures.Fixture("numpy_cartpole.npz"), Quiet with { TrajLimitation = 2 });
        Assert.Equal(2, dataset.NumTrajectories);
        Assert.Equal(9, dataset.NumTransitions);
        Assert.Equal(NumpyValues("numpy_cartpole").GetProperty("episode_returns").EnumerateArray().Take(2).Select(v => v.GetDouble()), dataset.Returns);
    }

    [Fact]
    public void Batches_pair_each_observation_with_its_action_and_repeat_with_the_seed()
    {
        var data = Recorded(episodes: 4, length: 5);
        using var first = new ExpertDataset(data, Quiet with { BatchSize = 3, Seed = 9 });
        using var second = new ExpertDataset(data, Quiet with { BatchSize = 3, Seed = 9 });
        using var other = new ExpertDataset(data, Quiet with { BatchSize = 3, Seed = 10 });
        bool differs = false;
        for (int i = 0; i < 20; i++)
        {
            var a = first.GetNextBatch();
            var b = second.GetNextBatch();
            Assert.Equal(a.Observations.ToArray(), b.Observations.ToArray());
            var c = other.GetNextBatch();
            differs |= !a.Observations.SequenceEqual(c.Observations);
            for (int row = 0; row < a.Count; row++)
            {
                // The recording's expert acts with the step's parity.
                Assert.Equal(a.Observations[row * 2 + 1] % 2, a.Actions[row]);
            }
        }
        Assert.True(differs);
    }

    [Fact]
    public void Without_randomize_every_epoch_has_the_same_order()
    {
        using var dataset = new ExpertDataset(Recorded(3, 4), Quiet with { BatchSize = 8, Randomize = false });
        var epoch1 = EpochRows(dataset, ExpertSplit.All, 2, [8, 4]);
        var epoch2 = EpochRows(dataset, ExpertSplit.All, 2, [8, 4]);
        Assert.Equal(epoch1, epoch2);
    }

    [Fact]
    public void In_memory_batches_allocate_nothing_after_warm_up()
    {
        using var dataset = new ExpertDataset(Recorded(5, 10), Quiet with { BatchSize = 7 });
        for (int i = 0; i < 20; i++) dataset.GetNextBatch();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) dataset.GetNextBatch();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Log_info_and_histograms_report_the_returns()
    {
        using var dataset = ExpertDataset.Load(ImitationFixtures.Fixture("numpy_cartpole.npz"), Quiet);
        var log = new StringWriter();
        dataset.LogInfo(log);
        Assert.Equal("Total trajectories: 3\nTotal transitions: 15\nAverage returns: 5\nStd for returns: 0.816496580927726\n", log.ToString().ReplaceLineEndings("\n"));

        var lines = dataset.FormatReturnHistogram(bins: 2, width: 10).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("|#####     | 1", lines[0]);
        Assert.EndsWith("|##########| 2", lines[1]);

        var sink = new HistogramSink();
        dataset.RecordReturnHistogram(sink, step: 3);
        Assert.Equal(("expert/episode_returns", 3L), (sink.Tag, sink.Step));
        Assert.Equal([5f, 4f, 6f], sink.Values);
    }

    [Fact]
    public void Verbose_prints_shapes_and_info()
    {
        var log = new StringWriter();
        using var dataset = ExpertDataset.Load(ImitationFixtures.Fixture("numpy_cartpole.npz"), log: log);
        string text = log.ToString();
        Assert.Contains("obs (15, 4)", text);
        Assert.Contains("actions (15, 1)", text);
        Assert.Contains("Total transitions: 15", text);
    }

    [Fact]
    public void Image_datasets_load_pngs_on_background_workers_in_a_fixed_order()
    {
        string dir = ImitationFixtures.TempDirectory();
        string path = Path.Combine(dir, "pixels.npz");
        ExpertRecorder.Record((observation, action, _) => action[0] = observation[0] % 3, new ImageEnv(), new ExpertRecorderOptions { NEpisodes = 5 }, path);
        var space = new Box(0, 255, [ImageEnv.Height, ImageEnv.Width, 3], "uint8");

        using var one = ExpertDataset.Load(path, Quiet with { BatchSize = 2, Workers = 1 }, space, new Discrete(3));
        using var three = ExpertDataset.Load(path, Quiet with { BatchSize = 2, Workers = 3, MaxQueueLength = 1 }, space);
        Assert.Equal(ImageEnv.Height * ImageEnv.Width * 3, three.ObservationSize);
        var seen = new HashSet<(float, float)>();
        for (int i = 0; i < 12; i++)
        {
            var a = one.GetNextBatch(ExpertSplit.All);
            var b = three.GetNextBatch(ExpertSplit.All);
            Assert.Equal(a.Observations.ToArray(), b.Observations.ToArray());
            Assert.Equal(a.Actions.ToArray(), b.Actions.ToArray());
            for (int row = 0; row < a.Count; row++)
            {
                var pixels = a.Observations.Slice(row * one.ObservationSize, one.ObservationSize);
                Assert.Equal(pixels[0] % 3, a.Actions[row]);
                seen.Add((pixels[0], pixels[1]));
            }
        }
        Assert.Equal(15, seen.Count);
    }

    [Fact]
    public void A_missing_image_names_the_file_and_step()
    {
        string dir = ImitationFixtures.TempDirectory();
        string path = Path.Combine(dir, "pixels.npz");
        ExpertRecorder.Record((_, action, _) => action[0] = 0, new ImageEnv(), new ExpertRecorderOptions { NEpisodes = 1 }, path);
        string missing = Path.Combine(dir, "recorded_images", "2.png");
        File.Delete(missing);
        using var dataset = ExpertDataset.Load(path, Quiet with { BatchSize = 3, Randomize = false });
        var error = Assert.Throws<ExpertDataException>(() => dataset.GetNextBatch(ExpertSplit.All));
        Assert.Contains("step 2", error.Message);
        Assert.Contains(missing, error.Message);
    }

    private static HashSet<float> Episodes(ExpertBatch batch)
    {
        var episodes = new HashSet<float>();
        for (int row = 0; row < batch.Count; row++) episodes.Add(MathF.Floor(batch.Observations[row * 2] / 100));
        return episodes;
    }

    private static List<string> EpochRows(ExpertDataset dataset, ExpertSplit split, int batches, int[] expectedCounts)
    {
        var rows = new List<string>();
        for (int b = 0; b < batches; b++)
        {
            var batch = dataset.GetNextBatch(split);
            Assert.Equal(expectedCounts[b], batch.Count);
            for (int row = 0; row < batch.Count; row++)
                rows.Add(string.Join(",", batch.Observations.Slice(row * batch.ObservationSize, batch.ObservationSize).ToArray()));
        }
        Assert.Equal(rows.Count, rows.Distinct().Count());
        return rows;
    }

    internal static ExpertTrajectories Recorded(int episodes, int length) =>
        ExpertRecorder.Record((observation, action, _) => action[0] = observation[1] % 2, new CountingEnv(length), new ExpertRecorderOptions { NEpisodes = episodes, Seed = 0 });

    private sealed class HistogramSink : IMetricsSink
    {
        public string? Tag { get; private set; }
        public long Step { get; private set; }
        public float[] Values { get; private set; } = [];

        public void RecordScalar(string tag, double value, long step) { }

        public void RecordHistogram(string tag, ReadOnlySpan<float> values, long step) => (Tag, Values, Step) = (tag, values.ToArray(), step);

        public void Flush() { }

        public void Dispose() { }
    }
}
