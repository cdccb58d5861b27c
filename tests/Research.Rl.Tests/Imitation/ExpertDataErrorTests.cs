using Research.Abstractions.Spaces;
using Research.Rl.Imitation;
using Research.Tensors.Io;

namespace Research.Rl.Tests.Imitation;

/// <summary>Bad expert data fails with the file, the key or index, and the reason in the message.</summary>
public sealed class ExpertDataErrorTests
{
    private static readonly ExpertDatasetOptions Quiet = new() { Verbose = 0 };

    private static string WriteArchive(params (string Name, NpyArray Array)[] arrays)
    {
        string path = Path.Combine(ImitationFixtures.TempDirectory(), "bad.npz");
        NpzWriter.Write(path, arrays.Select(a => KeyValuePair.Create(a.Name, a.Array)));
        return path;
    }

    private static (string, NpyArray)[] Valid(int n = 4) =>
    [
        ("obs", new NpyArray(new float[n * 2], n, 2)),
        ("actions", new NpyArray(new long[n], n, 1)),
        ("episode_returns", new NpyArray(new double[] { 1 }, 1)),
        ("episode_starts", new NpyArray(new[] { true }.Concat(new bool[n - 1]).ToArray(), n)),
    ];

    private static ExpertDataException LoadFails(string path, Space? observations = null, Space? actions = null)
    {
        var error = Assert.Throws<ExpertDataException>(() => ExpertDataset.Load(path, Quiet, observations, actions));
        Assert.Contains(path, error.Message);
        return error;
    }

    [Fact]
    public void A_missing_key_is_named()
    {
        string path = WriteArchive([.. Valid().Where(a => a.Item1 != "actions")]);
        Assert.Contains("missing key 'actions'", LoadFails(path).Message);
    }

    [Fact]
    public void Keys_of_unequal_length_are_listed_with_their_lengths()
    {
        var arrays = Valid();
        arrays[1] = ("actions", new NpyArray(new long[3], 3, 1));
        Assert.Contains("unequal lengths (obs 4, actions 3, episode_starts 4)", LoadFails(WriteArchive(arrays)).Message);
    }

    [Fact]
    public void Episode_returns_must_match_the_episodes_marked()
    {
        var arrays = Valid();
        arrays[2] = ("episode_returns", new NpyArray(new double[] { 1, 2 }, 2));
        Assert.Contains("marks 1 episodes but episode_returns has 2", LoadFails(WriteArchive(arrays)).Message);
    }

    [Fact]
    public void Episode_starts_that_are_not_zero_or_one_are_named_by_index()
    {
        var arrays = Valid();
        arrays[3] = ("episode_starts", new NpyArray(new double[] { 1, 0, 0.5, 0 }, 4));
        Assert.Contains("episode_starts[2] = 0.5", LoadFails(WriteArchive(arrays)).Message);
    }

    [Fact]
    public void Observations_that_do_not_fit_the_space_name_the_row()
    {
        string path = WriteArchive(Valid());
        Assert.Contains("2 values per step", LoadFails(path, new Box(-1, 1, [3])).Message);

        var arrays = Valid();
        arrays[0] = ("obs", new NpyArray(new float[] { 0, 0, 0, 0, 0, 5, 0, 0 }, 4, 2));
        Assert.Contains("obs[2] = [0, 5]", LoadFails(WriteArchive(arrays), new Box(-1, 1, [2])).Message);
    }

    [Fact]
    public void Actions_of_the_wrong_kind_are_refused()
    {
        string discrete = WriteArchive(Valid());
        Assert.Contains("discrete actions", LoadFails(discrete, actions: new Box(-1, 1, [1])).Message);

        var arrays = Valid();
        arrays[1] = ("actions", new NpyArray(new float[] { 0, 0.5f, 1, 0 }, 4, 1));
        var error = LoadFails(WriteArchive(arrays), actions: new Discrete(2));
        Assert.Contains("actions[1] = 0.5 is not in Discrete(2)", error.Message);
        Assert.Contains("not an integer", error.Message);
    }

    [Fact]
    public void A_truncated_archive_reports_the_io_error_with_the_dataset_context()
    {
        string path = WriteArchive(Valid());
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = LoadFails(path);
        Assert.Contains("cannot read the expert data", error.Message);
        Assert.IsType<NpyFormatException>(error.InnerException);
    }

    [Fact]
    public void A_corrupt_entry_is_reported_by_name()
    {
        string path = WriteArchive(Valid());
        var bytes = File.ReadAllBytes(path);
        int data = IndexOf(bytes, "obs.npy"u8) + "obs.npy".Length + 128 + 5; // inside the float data, after the 128-byte .npy header
        bytes[data] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("CRC-32", LoadFails(path).Message);
    }

    [Fact]
    public void Option_values_out_of_range_are_named()
    {
        var data = ExpertDatasetTests.Recorded(2, 2);
        // 1 is valid since issue 12 (SB2 allows it: no validation split); above 1, zero, negative and NaN are not.
        foreach (double bad in new[] { 1.5, 0, -0.5, double.NaN })
        {
            var error = Assert.Throws<ArgumentException>(() => new ExpertDataset(data, Quiet with { TrainFraction = bad }));
            Assert.Contains($"train_fraction = {bad.ToString(System.Globalization.CultureInfo.InvariantCulture)}", error.Message);
            Assert.Contains("at most 1", error.Message);
        }
        var batch = Assert.Throws<ArgumentException>(() => new ExpertDataset(data, Quiet with { BatchSize = 0 }));
        Assert.Contains("batch_size = 0", batch.Message);
        var empty = Assert.Throws<ExpertDataException>(() => new ExpertDataset(data, Quiet with { TrainFraction = 0.1 }));
        Assert.Contains("leaves the training split empty", empty.Message);
    }

    [Fact]
    public void A_whole_train_fraction_keeps_no_validation_split_and_asking_for_one_is_named()
    {
        using var dataset = new ExpertDataset(ExpertDatasetTests.Recorded(2, 2), Quiet with { TrainFraction = 1 });
        Assert.Equal(dataset.NumTransitions, dataset.TrainCount);
        Assert.Equal(0, dataset.ValidationCount);
        Assert.True(dataset.GetNextBatch(ExpertSplit.Train).Count > 0);
        var error = Assert.Throws<InvalidOperationException>(() => dataset.GetNextBatch(ExpertSplit.Validation));
        Assert.Contains("train_fraction = 1 keeps no validation split", error.Message);
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);
}
