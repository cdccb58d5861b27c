using Research.Abstractions.Environments;
using Research.Rl.Tests.VectorEnvs;
using Research.Rl.Wrappers;
using Research.Rl.Wrappers.Monitoring;
using Monitor = Research.Rl.Wrappers.Monitoring.Monitor;

namespace Research.Rl.Tests.Wrappers;

public sealed class MonitorTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch.AddTicks(17000000001234567);
    private readonly string _directory = Directory.CreateTempSubdirectory("monitor-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Writes_Stable_Baselines_format_exactly()
    {
        var clock = new ManualClock(Start);
        string path;
        using (var monitor = new Monitor(new CounterEnv(episodeLength: 3), _directory, "Counter-v0", clock))
        {
            path = monitor.FilePath;
            monitor.Reset(seed: 0);
            for (int t = 0; t < 3; t++)
            {
                clock.Advance(0.5);
                monitor.Step(1);
            }
            monitor.Reset();
            for (int t = 0; t < 3; t++)
            {
                clock.Advance(0.25);
                monitor.Step(0);
            }
            Assert.Equal("#{\"t_start\": 1700000000.1234567, \"env_id\": \"Counter-v0\"}\nr,l,t\r\n9.0,3,1.5\r\n6.0,3,2.25\r\n", File.ReadAllText(path));
        }
        Assert.Equal(Path.Combine(_directory, "monitor.csv"), path);
    }

    [Fact]
    public void Numbers_and_ids_are_written_as_Python_writes_them()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch.AddSeconds(1));
        using var monitor = new Monitor(new ScriptedEnv(0, [1e-5f, -2.5f, 1e17f, 0.1f], episodeLength: 1), Path.Combine(_directory, "run"), "a\"b\\é", clock);
        monitor.Reset();
        for (int episode = 0; episode < 4; episode++)
        {
            clock.Advance(1e-7);
            monitor.Step(0);
            monitor.Reset();
        }
        Assert.Equal(Path.Combine(_directory, "run.monitor.csv"), monitor.FilePath);
        var lines = File.ReadAllText(monitor.FilePath).Split("\r\n");
        Assert.Equal("#{\"t_start\": 1.0, \"env_id\": \"a\\\"b\\\\\\u00e9\"}\nr,l,t", lines[0]);
        Assert.Equal(["1e-05,1,0.0", "-2.5,1,0.0", "9.999999843067494e+16,1,0.0", "0.1,1,0.0", ""], lines[1..]);
    }

    [Fact]
    public void Episode_info_and_last_episode_are_reported_at_the_end_only()
    {
        var clock = new ManualClock(Start);
        using var monitor = new Monitor(new CounterEnv(episodeLength: 2), _directory, "Counter-v0", clock);
        monitor.Reset();
        clock.Advance(2);
        var first = monitor.Step(1);
        Assert.False(first.Info.ContainsKey(RecordEpisodeStatistics.InfoKey));
        clock.Advance(2);
        var last = monitor.Step(1);
        Assert.Equal(new EpisodeStatistics(5, 2, 4), last.Info[RecordEpisodeStatistics.InfoKey]);
        Assert.Equal(5, monitor.LastReturn);
        Assert.Equal(2, monitor.LastLength);
    }

    [Fact]
    public void Reader_round_trips_and_merges_files_by_time()
    {
        var early = new ManualClock(DateTimeOffset.UnixEpoch.AddSeconds(100));
        var late = new ManualClock(DateTimeOffset.UnixEpoch.AddSeconds(101));
        using (var a = new Monitor(new CounterEnv(episodeLength: 1), Path.Combine(_directory, "0"), "x", early))
        using (var b = new Monitor(new CounterEnv(episodeLength: 2), Path.Combine(_directory, "1"), "x", late))
        {
            a.Reset();
            b.Reset();
            early.Advance(0.5);
            a.Step(0);
            a.Reset();
            late.Advance(1);
            b.Step(0);
            b.Step(1);
            early.Advance(2);
            a.Step(1);
        }
        Assert.Equal(
            [new MonitorRow(1, 1, 0.5), new MonitorRow(4, 2, 2), new MonitorRow(2, 1, 2.5)],
            MonitorResults.Load(_directory));
        Assert.Equal([new MonitorRow(4, 2, 1)], MonitorResults.Load(Path.Combine(_directory, "1.monitor.csv")));
    }

    [Fact]
    public void Reader_names_the_file_and_line_of_malformed_content()
    {
        string file = Path.Combine(_directory, "bad.monitor.csv");
        File.WriteAllText(file, "not a header\nr,l,t\n");
        var header = Assert.Throws<InvalidDataException>(() => MonitorResults.Load(_directory));
        Assert.Equal($"MonitorResults: '{file}' line 1: expected '#' and a JSON header with t_start, got 'not a header'.", header.Message);

        File.WriteAllText(file, "#{\"t_start\": 5.0, \"env_id\": \"x\"}\nr,l,t\r\n1.0,2,3.0\r\nabc,3,1.0\r\n");
        var row = Assert.Throws<InvalidDataException>(() => MonitorResults.Load(file));
        Assert.Equal($"MonitorResults: '{file}' line 4: r = 'abc' is not a number.", row.Message);

        File.WriteAllText(file, "#{\"t_start\": 5.0}\nr,t\n");
        Assert.Contains("line 2: the CSV header has no column 'l'", Assert.Throws<InvalidDataException>(() => MonitorResults.Load(file)).Message);

        File.WriteAllText(file, "#{\"t_start\": 5.0}\nr,l,t\n1.0,2.5,3.0\n");
        Assert.Contains("line 3: l = '2.5' is not a non-negative integer", Assert.Throws<InvalidDataException>(() => MonitorResults.Load(file)).Message);
    }

    [Fact]
    public void Reader_explains_missing_files()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_directory, "empty")).FullName;
        Assert.Contains($"no monitor files of the form *monitor.csv in '{empty}'", Assert.Throws<FileNotFoundException>(() => MonitorResults.Load(empty)).Message);
        string missing = Path.Combine(_directory, "nothing.csv");
        Assert.Contains($"'{missing}' is neither a monitor file nor a directory", Assert.Throws<FileNotFoundException>(() => MonitorResults.Load(missing)).Message);
    }

    [Fact]
    public void Episode_progress_survives_a_state_round_trip()
    {
        var clock = new ManualClock(Start);
        using var monitor = new Monitor(new CounterEnv(episodeLength: 4), Path.Combine(_directory, "a"), "x", clock);
        monitor.Reset(seed: 1);
        monitor.Step(1);
        monitor.Step(1);
        var state = VectorEnvTesting.SaveState(monitor);
        using var restored = new RecordEpisodeStatistics(new CounterEnv(episodeLength: 4), clock);
        VectorEnvTesting.LoadState(restored, state);
        restored.Step(0);
        restored.Step(0);
        Assert.Equal(1 + 1 + 2 + 1 + 3 + 4, restored.LastReturn);
        Assert.Equal(4, restored.LastLength);
    }
}
