using Google.Protobuf;
using Research.Abstractions.Environments;
using Research.TensorBoard.Proto;
using Research.TensorBoard.Proto.HParams;

namespace Research.TensorBoard.Tests;

public sealed class WriterReaderTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FixedClock _clock = new(Start);

    public void Dispose() => _dir.Dispose();

    private EventFileWriterOptions Options => new() { Clock = _clock, FlushInterval = TimeSpan.FromHours(1) };

    [Fact]
    public void File_is_named_like_TensorFlows_and_starts_with_the_version_event()
    {
        string path;
        using (var writer = new EventFileWriter(_dir.Path, Options)) path = writer.FilePath;
        string name = Path.GetFileName(path);
        Assert.StartsWith($"events.out.tfevents.{Start.ToUnixTimeSeconds()}.{Environment.MachineName}.{Environment.ProcessId}.", name);
        Assert.True(int.TryParse(name.Split('.')[^1], out _));
        var events = EventFileReader.Read(_dir.Path).ToList();
        var first = Assert.Single(events);
        Assert.Equal("brain.Event:2", first.FileVersion);
        Assert.Equal(Start.ToUnixTimeSeconds(), first.WallTime);
    }

    [Fact]
    public void Two_writers_in_one_directory_get_different_files()
    {
        using var a = new EventFileWriter(_dir.Path, Options);
        using var b = new EventFileWriter(_dir.Path, Options);
        Assert.NotEqual(a.FilePath, b.FilePath);
    }

    [Fact]
    public void Everything_written_reads_back()
    {
        var frame = new RgbFrame(2, 1, [255, 0, 0, 0, 255, 0]);
        using (var writer = new SummaryWriter(_dir.Path, Options))
        {
            writer.AddScalar("train/loss", 0.25, 10);
            _clock.Now = Start.AddSeconds(1.5);
            writer.AddScalar("train/loss", -3.5, 20);
            writer.AddText("notes", "# Hello\nworld", 20);
            writer.AddHistogram("weights", [0.5f, -0.5f, 2f], 30);
            writer.AddImage("frame", frame, 40);
        }

        var events = EventFileReader.Read(_dir.Path).Skip(1).ToList();
        Assert.Equal(5, events.Count);
        var v = events.Select(e => e.Summary.Value.Single()).ToList();
        Assert.Equal(("train/loss", 0.25f, 10L, (double)Start.ToUnixTimeSeconds()), (v[0].Tag, v[0].SimpleValue, events[0].Step, events[0].WallTime));
        Assert.Equal((-3.5f, 20L, Start.ToUnixTimeSeconds() + 1.5), (v[1].SimpleValue, events[1].Step, events[1].WallTime));

        Assert.Equal("text", v[2].Metadata.PluginData.PluginName);
        Assert.Equal(Proto.DataType.DtString, v[2].Tensor.Dtype);
        Assert.Equal("# Hello\nworld", v[2].Tensor.StringVal.Single().ToStringUtf8());

        Assert.Equal(Histograms.Build([0.5f, -0.5f, 2f]), v[3].Histo);
        Assert.Equal(3, v[3].Histo.Num);

        Assert.Equal((1, 2, 3), (v[4].Image.Height, v[4].Image.Width, v[4].Image.Colorspace));
        Assert.Equal(Research.Abstractions.Imaging.PngEncoder.Encode(frame), v[4].Image.EncodedImageString.ToByteArray());
    }

    [Fact]
    public void HParams_experiment_and_sessions_read_back()
    {
        using (var root = new SummaryWriter(_dir.Path, Options))
        {
            root.AddExperiment(
                [
                    new HParamSpec("lr", HParamType.Number) { Interval = (1e-4, 1e-2) },
                    new HParamSpec("activation", HParamType.String) { Values = ["tanh", "relu"] },
                    new HParamSpec("ortho", HParamType.Bool),
                ],
                [new MetricSpec("rollout/ep_rew_mean") { DisplayName = "return" }]);
        }
        using (var trial = new SummaryWriter(_dir.Sub("trial_0"), Options))
        {
            trial.AddSessionStart(new Dictionary<string, object> { ["lr"] = 0.001, ["activation"] = "tanh", ["ortho"] = true }, "g0");
            trial.AddScalar("rollout/ep_rew_mean", 100, 1000);
            trial.AddSessionEnd(TrialStatus.Success);
        }

        var experimentValue = EventFileReader.Read(_dir.Path).Skip(1).Single().Summary.Value.Single();
        Assert.Equal("_hparams_/experiment", experimentValue.Tag);
        Assert.Equal("hparams", experimentValue.Metadata.PluginData.PluginName);
        Assert.Equal(Proto.DataType.DtFloat, experimentValue.Tensor.Dtype);
        Assert.Equal(0, experimentValue.Tensor.TensorShape.Dim.Single().Size);
        var data = HParamsPluginData.Parser.ParseFrom(experimentValue.Metadata.PluginData.Content);
        Assert.Equal(0, data.Version);
        var experiment = data.Experiment;
        Assert.Equal(["lr", "activation", "ortho"], experiment.HparamInfos.Select(h => h.Name));
        Assert.Equal((1e-4, 1e-2), (experiment.HparamInfos[0].DomainInterval.MinValue, experiment.HparamInfos[0].DomainInterval.MaxValue));
        Assert.Equal(["tanh", "relu"], experiment.HparamInfos[1].DomainDiscrete.Values.Select(x => x.StringValue));
        Assert.Equal(Proto.HParams.DataType.Bool, experiment.HparamInfos[2].Type);
        Assert.Equal("rollout/ep_rew_mean", experiment.MetricInfos.Single().Name.Tag);

        var trialValues = EventFileReader.Read(_dir.Sub("trial_0")).Skip(1).Select(e => e.Summary.Value.Single()).ToList();
        var start = HParamsPluginData.Parser.ParseFrom(trialValues[0].Metadata.PluginData.Content).SessionStartInfo;
        Assert.Equal("g0", start.GroupName);
        Assert.Equal(0.001, start.Hparams["lr"].NumberValue);
        Assert.Equal("tanh", start.Hparams["activation"].StringValue);
        Assert.True(start.Hparams["ortho"].BoolValue);
        var end = HParamsPluginData.Parser.ParseFrom(trialValues[2].Metadata.PluginData.Content).SessionEndInfo;
        Assert.Equal(Status.Success, end.Status);
    }

    [Fact]
    public void Bad_hparam_values_are_refused_with_the_name()
    {
        using var writer = new SummaryWriter(_dir.Path, Options);
        var e = Assert.Throws<ArgumentException>(() => writer.AddSessionStart(new Dictionary<string, object> { ["net"] = new int[2] }));
        Assert.Contains("Hyperparameter 'net'", e.Message);
        e = Assert.Throws<ArgumentException>(() => writer.AddExperiment([new HParamSpec("act", HParamType.String) { Values = [1.0] }], []));
        Assert.Contains("HParamSpec 'act'", e.Message);
    }

    [Fact]
    public void Sink_records_scalars_text_and_histograms()
    {
        using (var sink = new TensorBoardSink(_dir.Path, Options))
        {
            sink.RecordScalar("a", 1.0, 1);
            sink.RecordText("b", "hi", 2);
            sink.RecordHistogram("c", [1f, 2f], 3);
            sink.Flush();
        }
        var tags = EventDump.Tags(EventFileReader.Read(_dir.Path));
        Assert.Equal([("a", "scalar"), ("b", "text"), ("c", "histogram")], tags.Select(t => (t.Tag, t.Kind)));
    }

    [Fact]
    public void Concurrent_writers_lose_no_record()
    {
        using (var writer = new SummaryWriter(_dir.Path, Options with { BufferSize = 1024 }))
        {
            Parallel.For(0, 4, t =>
            {
                for (int i = 0; i < 2000; i++) writer.AddScalar($"t{t}", i, i);
            });
        }
        var series = Enumerable.Range(0, 4).Select(t => EventDump.Series(EventFileReader.Read(_dir.Path), $"t{t}")).ToList();
        foreach (var s in series) Assert.Equal(Enumerable.Range(0, 2000).Select(i => (double)i), s.Select(p => p.Value).Order());
    }

    [Fact]
    public void The_timer_flushes_without_an_explicit_flush()
    {
        using var writer = new SummaryWriter(_dir.Path, Options with { FlushInterval = TimeSpan.FromMilliseconds(20) });
        writer.AddScalar("x", 1, 1);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (EventFileReader.Read(writer.FilePath).Count() < 2 && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.Equal(2, EventFileReader.Read(writer.FilePath).Count());
    }

    [Fact]
    public void Writing_after_dispose_throws()
    {
        var writer = new SummaryWriter(_dir.Path, Options);
        writer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.AddScalar("x", 1, 1));
        writer.Dispose();
    }
}
