using Research.Abstractions.Experts;
using Research.Rl.Imitation;
using Research.Tensors.Io;

namespace Research.Rl.Tests.Imitation;

public sealed class ExpertRecorderTests
{
    /// <summary>Action 1 when the step counter is odd; counts its resets.</summary>
    private sealed class ParityExpert : IExpert
    {
        public int Resets { get; private set; }

        public void Act(ReadOnlySpan<float> observation, Span<float> action) => action[0] = observation[1] % 2;

        public void Reset() => Resets++;
    }

    [Fact]
    public void Recording_writes_stable_baselines_keys_dtypes_and_shapes()
    {
        string dir = ImitationFixtures.TempDirectory();
        var expert = new ParityExpert();
        var env = new CountingEnv(length: 3);
        var data = ExpertRecorder.Record(expert, env, new ExpertRecorderOptions { NEpisodes = 2, Seed = 4 }, Path.Combine(dir, "expert_counting"));

        var archive = NpzArchive.Read(Path.Combine(dir, "expert_counting.npz"));
        Assert.Equal(["actions", "obs", "rewards", "episode_returns", "episode_starts"], archive.Names);
        Assert.Equal("Int64 (6, 1)", Describe(archive["actions"]));
        Assert.Equal("Float32 (6, 2)", Describe(archive["obs"]));
        Assert.Equal("Float64 (6,)", Describe(archive["rewards"]));
        Assert.Equal("Float64 (2,)", Describe(archive["episode_returns"]));
        Assert.Equal("Bool (6,)", Describe(archive["episode_starts"]));

        // Observations are those the action was chosen from (before the step): seed 4 starts at 40, the next episode at 140.
        Assert.Equal([40f, 0, 41, 1, 42, 2, 140, 0, 141, 1, 142, 2], archive["obs"].Get<float>());
        Assert.Equal([0L, 1, 0, 0, 1, 0], archive["actions"].Get<long>());
        Assert.Equal([1d, 2, 1, 1, 2, 1], archive["rewards"].Get<double>());
        Assert.Equal([4d, 4], archive["episode_returns"].Get<double>());
        Assert.Equal([true, false, false, true, false, false], archive["episode_starts"].Get<bool>());
        Assert.Equal([4, null], env.ResetSeeds);
        Assert.Equal(2, expert.Resets);
        Assert.Equal(6, data.Count);
    }

    [Fact]
    public void Timestep_budget_finishes_the_episode_it_ends_in_and_progress_is_reported_per_episode()
    {
        var reports = new List<RecordingProgress>();
        var data = ExpertRecorder.Record(
            (observation, action, deterministic) => action[0] = deterministic ? 1 : 0,
            new CountingEnv(length: 4),
            new ExpertRecorderOptions { NTimesteps = 5, NEpisodes = 100 },
            progress: new SynchronousProgress<RecordingProgress>(reports.Add));
        Assert.Equal(8, data.Count);
        Assert.Equal([8d, 8], data.EpisodeReturns);
        Assert.Equal([new RecordingProgress(1, 4, 8), new RecordingProgress(2, 8, 8)], reports);
    }

    [Fact]
    public void The_same_seed_writes_the_same_bytes()
    {
        string dir = ImitationFixtures.TempDirectory();
        var options = new ExpertRecorderOptions { NEpisodes = 3, Seed = 1, Compression = NpzCompression.Deflated };
        ExpertRecorder.Record(new ParityExpert(), new CountingEnv(5), options, Path.Combine(dir, "a.npz"));
        ExpertRecorder.Record(new ParityExpert(), new CountingEnv(5), options, Path.Combine(dir, "b.npz"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a.npz")), File.ReadAllBytes(Path.Combine(dir, "b.npz")));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp*"));
    }

    [Fact]
    public void Rgb_observations_become_png_files_listed_in_a_manifest()
    {
        string dir = ImitationFixtures.TempDirectory();
        var data = ExpertRecorder.Record((_, action, _) => action[0] = 2, new ImageEnv(), new ExpertRecorderOptions { NEpisodes = 2 }, Path.Combine(dir, "pixels.npz"));

        Assert.True(data.HasImages);
        Assert.Equal(["recorded_images/0.png", "recorded_images/1.png", "recorded_images/2.png", "recorded_images/3.png", "recorded_images/4.png", "recorded_images/5.png"],
            File.ReadAllLines(Path.Combine(dir, "pixels" + ExpertDataFile.ManifestSuffix)));
        Assert.Equal(6, Directory.GetFiles(Path.Combine(dir, "recorded_images"), "*.png").Length);
        Assert.False(NpzArchive.Read(Path.Combine(dir, "pixels.npz")).Contains("obs"));

        var read = ExpertDataFile.Read(Path.Combine(dir, "pixels.npz"));
        Assert.Equal(data.ObservationPaths, read.ObservationPaths);
        Assert.Equal(Enumerable.Repeat(2f, 6), read.Actions);
    }

    [Fact]
    public void A_recording_needs_a_positive_episode_count()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ExpertRecorder.Record((_, _, _) => { }, new CountingEnv(2), new ExpertRecorderOptions { NEpisodes = 0 }));
        Assert.Contains("NEpisodes = 0", error.Message);
    }

    private static string Describe(NpyArray array) => $"{array.DType} {NpyArray.FormatShape(array.Shape)}";

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
