using System.Globalization;
using System.Text;
using Research.Rl.Imitation;
using Research.TensorBoard;
using Research.Tensors.Io;

namespace Research.Plots.Tests;

/// <summary>Plots checked by decoding the PNG: its size, drawn pixels inside the data area, and text outside it.</summary>
public sealed class PlotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-plot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Monitor_files_of_two_runs_draw_two_curves_with_labels()
    {
        for (int run = 0; run < 2; run++) WriteMonitor(Path.Combine(_dir, $"run{run}"), run);
        var runs = RunReader.Read([Path.Combine(_dir, "run0"), Path.Combine(_dir, "run1")], XAxis.Timesteps);
        Assert.Equal(2, runs.Count);
        Assert.Equal(40, runs[0].Curve.X.Length);
        Assert.Equal(10, runs[0].Curve.X[0]);
        var result = CurvePlot.Save(runs, new CurvePlotOptions { Title = "CartPole", Smoothing = 5 }, Path.Combine(_dir, "curves.png"));
        AssertPlot(result, expectTitle: true);
    }

    [Theory]
    [InlineData(XAxis.Timesteps)]
    [InlineData(XAxis.Episodes)]
    [InlineData(XAxis.WallTime)]
    public void Progress_csv_result_json_and_event_files_read_on_every_axis(XAxis x)
    {
        string trial = Path.Combine(_dir, "trial");
        Directory.CreateDirectory(trial);
        WriteResultJson(trial, 0.001, seed: 0);
        var fromJson = RunReader.Read([trial], x).Single();
        Assert.Equal(20, fromJson.Curve.Y.Length);
        Assert.Equal("0.001", fromJson.Params["learning_rate"]);

        string progress = Path.Combine(_dir, "progress.csv");
        File.WriteAllLines(progress, ["rollout/ep_rew_mean,time/episodes,time/time_elapsed,time/total_timesteps",
            .. Enumerable.Range(1, 10).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i * 10.5},{i * 3},{i},{i * 100}"))]);
        var fromCsv = RunReader.Read([progress], x).Single();
        Assert.Equal(x switch { XAxis.Timesteps => 1000, XAxis.Episodes => 30, _ => 10 }, fromCsv.Curve.X[^1]);
        Assert.Equal(105, fromCsv.Curve.Y[^1]);

        if (x != XAxis.Episodes)
        {
            string tb = Path.Combine(_dir, "tb");
            using (var writer = new SummaryWriter(tb))
                for (int i = 1; i <= 8; i++) writer.AddScalar("rollout/ep_rew_mean", i * 2, i * 256);
            var fromEvents = RunReader.Read([tb], x).Single();
            Assert.Equal(16, fromEvents.Curve.Y[^1]);
            if (x == XAxis.Timesteps) Assert.Equal(2048, fromEvents.Curve.X[^1]);
        }
        var all = RunReader.Read([trial, progress], x);
        AssertPlot(CurvePlot.Save(all, new CurvePlotOptions { X = x }, Path.Combine(_dir, $"{x}.png")), expectTitle: false);
    }

    [Fact]
    public void A_sweep_is_coloured_by_a_hyperparameter_and_grouped_with_bands()
    {
        string sweep = Path.Combine(_dir, "sweep");
        int index = 0;
        foreach (double lr in (double[])[0.0003, 0.001, 0.003])
            foreach (int seed in (int[])[0, 1])
            {
                string trial = Path.Combine(sweep, $"PPO_CartPole-v1_{index++}");
                Directory.CreateDirectory(trial);
                WriteResultJson(trial, lr, seed);
            }
        var runs = RunReader.Read([sweep], XAxis.Timesteps);
        Assert.Equal(6, runs.Count);
        AssertPlot(CurvePlot.Save(runs, new CurvePlotOptions { ColorBy = "learning_rate", Title = "lr" }, Path.Combine(_dir, "colored.png")), expectTitle: true);
        AssertPlot(CurvePlot.Save(runs, new CurvePlotOptions { GroupBy = "learning_rate", Band = Band.MinMax }, Path.Combine(_dir, "grouped.png")), expectTitle: false);

        var svg = CurvePlot.Save(runs, new CurvePlotOptions { GroupBy = "learning_rate", Title = "Demo sweep" }, Path.Combine(_dir, "grouped.svg"));
        string text = File.ReadAllText(svg.Path);
        Assert.Contains("<svg", text);
        Assert.Contains("Demo sweep", text);

        var e = Assert.Throws<ArgumentException>(() => CurvePlot.Save(runs, new CurvePlotOptions { ColorBy = "gamma" }, Path.Combine(_dir, "x.png")));
        Assert.Contains("has no hyperparameter 'gamma' (has: learning_rate, seed)", e.Message);
    }

    [Fact]
    public void The_expert_return_histogram_has_bars_and_a_title()
    {
        string data = Path.Combine(_dir, "expert.npz");
        var returns = Enumerable.Range(0, 30).Select(i => 400.0 + 7 * (i % 11)).ToArray();
        NpzWriter.Write(data, [new("episode_returns", new NpyArray(returns, returns.Length))]);
        AssertPlot(ExpertPlot.SaveReturnHistogram(data, Path.Combine(_dir, "hist.png")), expectTitle: true);
        var e = Assert.Throws<FormatException>(() => ExpertPlot.SaveReturnHistogram(WriteNpz("obs"), Path.Combine(_dir, "h.png")));
        Assert.Contains("no 'episode_returns' (the archive has: obs)", e.Message);
    }

    [Fact]
    public void Bad_input_names_the_file_and_the_reason()
    {
        string progress = Path.Combine(_dir, "progress.csv");
        File.WriteAllLines(progress, ["time/total_timesteps,train/loss", "100,0.5"]);
        var e = Assert.Throws<FormatException>(() => RunReader.Read([progress], XAxis.Timesteps));
        Assert.Contains($"{progress}: no column 'rollout/ep_rew_mean' (columns: time/total_timesteps, train/loss)", e.Message);
        Assert.Throws<FileNotFoundException>(() => RunReader.Read([Path.Combine(_dir, "missing")], XAxis.Timesteps));
        var runs = RunReader.Read([progress], XAxis.Timesteps, "train/loss");
        var wrong = Assert.Throws<ArgumentException>(() => CurvePlot.Save(runs, new CurvePlotOptions { Metric = "train/loss" }, Path.Combine(_dir, "plot.jpg")));
        Assert.Contains("plot.jpg: the image format is chosen by the extension, .png or .svg", wrong.Message);
    }

    // The PNG has the requested size, the data area has drawn (non-white) pixels, and there is dark text outside it (tick labels, axis labels, title).
    private static void AssertPlot(PlotResult result, bool expectTitle)
    {
        var image = PngDecoder.Decode(File.ReadAllBytes(result.Path), result.Path);
        Assert.Equal(result.Width, image.Width);
        Assert.Equal(result.Height, image.Height);
        int drawn = Count(image, (int)result.Left + 2, (int)result.Right - 2, (int)result.Top + 2, (int)result.Bottom - 2, p => p.R + p.G + p.B < 700);
        Assert.True(drawn > 200, $"only {drawn} drawn pixels in the data area");
        int below = Count(image, (int)result.Left, (int)result.Right, (int)result.Bottom + 2, image.Height, Dark);
        Assert.True(below > 50, $"no tick or axis labels under the data area ({below} dark pixels)");
        if (expectTitle)
        {
            int title = Count(image, (int)result.Left, (int)result.Right, 0, (int)result.Top - 2, Dark);
            Assert.True(title > 50, $"no title text ({title} dark pixels above the data area)");
        }
    }

    private static bool Dark((int R, int G, int B) p) => p.R + p.G + p.B < 250;

    private static int Count(DecodedImage image, int x0, int x1, int y0, int y1, Func<(int R, int G, int B), bool> test)
    {
        int count = 0;
        for (int y = Math.Max(0, y0); y < Math.Min(image.Height, y1); y++)
        for (int x = Math.Max(0, x0); x < Math.Min(image.Width, x1); x++)
        {
            int i = (y * image.Width + x) * image.Channels;
            if (image.Channels == 4 && image.Pixels[i + 3] < 128) continue;
            if (test((image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]))) count++;
        }
        return count;
    }

    private static void WriteMonitor(string directory, int run)
    {
        Directory.CreateDirectory(directory);
        var lines = new StringBuilder("#{\"t_start\": 1700000000.0, \"env_id\": \"CartPole-v1\"}\r\nr,l,t\r\n");
        for (int i = 0; i < 40; i++)
            lines.Append(CultureInfo.InvariantCulture, $"{10 + i * (3 + run)}.0,{10 * (1 + run)},{0.5 * (i + 1)}\r\n");
        File.WriteAllText(Path.Combine(directory, "monitor.csv"), lines.ToString());
    }

    private static void WriteResultJson(string trial, double lr, int seed)
    {
        File.WriteAllText(Path.Combine(trial, "params.json"), string.Create(CultureInfo.InvariantCulture, $"{{\"learning_rate\": {lr}, \"seed\": {seed}}}"));
        File.WriteAllLines(Path.Combine(trial, "result.json"), Enumerable.Range(1, 20).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"{{\"episode_reward_mean\": {20 + i * lr * 10000 + seed * 5}, \"timesteps_total\": {i * 512}, \"episodes_total\": {i * 4}, \"time_total_s\": {i * 0.7}}}")));
    }

    private string WriteNpz(string key)
    {
        string path = Path.Combine(_dir, key + ".npz");
        NpzWriter.Write(path, [new(key, new NpyArray(new float[] { 1, 2 }, 2))]);
        return path;
    }
}
