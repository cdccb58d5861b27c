using System.Text.Json;
using Research.Rl.Logging;

namespace Research.Rl.Tests.Logging;

public sealed class SinkTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rl-sinks-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Stdout_table_matches_stable_baselines_layout_exactly()
    {
        var writer = new StringWriter();
        var sink = new StdoutSink(writer);
        sink.RecordScalar("train/approx_kl", 0.0087225, 2048);
        sink.RecordScalar("time/total_timesteps", 2048, 2048);
        sink.RecordScalar("rollout/ep_rew_mean", 22.3, 2048);
        sink.RecordScalar("time/fps", 1855, 2048);
        sink.RecordScalar("rollout/ep_len_mean", 22.3, 2048);
        sink.RecordScalar("time/iterations", 1, 2048);
        sink.Flush();

        const string expected =
            "---------------------------------\n" +
            "| rollout/           |          |\n" +
            "|    ep_len_mean     | 22.3     |\n" +
            "|    ep_rew_mean     | 22.3     |\n" +
            "| time/              |          |\n" +
            "|    fps             | 1855     |\n" +
            "|    iterations      | 1        |\n" +
            "|    total_timesteps | 2048     |\n" +
            "| train/             |          |\n" +
            "|    approx_kl       | 0.00872  |\n" +
            "---------------------------------\n";
        Assert.Equal(expected, writer.ToString());

        sink.Flush(); // nothing pending: nothing printed
        Assert.Equal(expected, writer.ToString());
    }

    [Fact]
    public void Stdout_table_cuts_long_names_and_refuses_names_that_collide_once_cut()
    {
        var writer = new StringWriter();
        var sink = new StdoutSink(writer);
        sink.RecordScalar("a_very_long_metric_name_indeed", 1, 0);
        sink.Flush();
        Assert.Equal("-------------------------------\n| a_very_long_metric_n... | 1 |\n-------------------------------\n", writer.ToString());

        sink.RecordScalar("a_very_long_metric_name_one", 1, 0);
        sink.RecordScalar("a_very_long_metric_name_two", 2, 0);
        Assert.Contains("a_very_long_metric_n...", Assert.Throws<InvalidOperationException>(sink.Flush).Message);
    }

    [Fact]
    public void Csv_header_grows_and_earlier_rows_are_padded()
    {
        var path = Path.Combine(_directory, "run", "progress.csv");
        using (var sink = new CsvSink(path))
        {
            sink.RecordScalar("time/iterations", 1, 8);
            sink.RecordScalar("rollout/ep_rew_mean", 9.5, 8);
            sink.Flush();
            sink.RecordScalar("time/iterations", 2, 16);
            sink.Flush();
            sink.RecordScalar("time/iterations", 3, 24);
            sink.RecordScalar("train/loss", 0.25, 24);
            sink.RecordScalar("eval/mean_reward", 1e-7, 24);
            sink.RecordText("info/note", "say \"hi\"", 24);
            sink.Flush();
            // New columns are appended sorted; existing ones keep their place.
            Assert.Equal(["rollout/ep_rew_mean", "time/iterations", "eval/mean_reward", "info/note", "train/loss"], sink.Columns);
        }
        Assert.Equal(
            "rollout/ep_rew_mean,time/iterations,eval/mean_reward,info/note,train/loss\n" +
            "9.5,1,,,\n" +
            ",2,,,\n" +
            ",3,1e-07,\"say \"\"hi\"\"\",0.25\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void Json_lines_hold_one_strict_object_per_flush()
    {
        var path = Path.Combine(_directory, "progress.json");
        using (var sink = new JsonLinesSink(path))
        {
            sink.RecordScalar("time/total_timesteps", 2048, 2048);
            sink.RecordScalar("train/loss", 0.5, 2048);
            sink.RecordScalar("rollout/ep_rew_mean", double.NaN, 2048);
            sink.Flush();
            sink.RecordText("info/phase", "done", 4096);
            sink.Flush();
        }
        var lines = File.ReadAllLines(path);
        Assert.Equal(["{\"time/total_timesteps\":2048,\"train/loss\":0.5,\"rollout/ep_rew_mean\":null}", "{\"info/phase\":\"done\"}"], lines);
        Assert.All(lines, line => JsonDocument.Parse(line).Dispose());
    }
}
