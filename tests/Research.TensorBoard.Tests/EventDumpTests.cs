namespace Research.TensorBoard.Tests;

public sealed class EventDumpTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private void WriteRun()
    {
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(1000));
        using var writer = new SummaryWriter(_dir.Path, new EventFileWriterOptions { Clock = clock });
        writer.AddScalar("loss", 0.5, 1);
        clock.Now = clock.Now.AddSeconds(0.25);
        writer.AddScalar("loss", 0.125, 2);
        writer.AddText("note", "line one\nline two", 2);
    }

    [Fact]
    public void Tags_table_lists_latest_values()
    {
        WriteRun();
        var output = new StringWriter();
        EventDump.WriteTags(output, EventDump.Tags(EventFileReader.Read(_dir.Path)));
        Assert.Equal("tag\tkind\tcount\tstep\tvalue\nloss\tscalar\t2\t2\t0.125\nnote\ttext\t1\t2\tline one line two\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Series_is_csv()
    {
        WriteRun();
        var output = new StringWriter();
        EventDump.WriteCsv(output, EventDump.Series(EventFileReader.Read(_dir.Path), "loss"));
        Assert.Equal("step,wall_time,value\n1,1000,0.5\n2,1000.25,0.125\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Missing_and_non_scalar_tags_are_errors()
    {
        WriteRun();
        Assert.Equal("no tag 'acc'", Assert.Throws<KeyNotFoundException>(() => EventDump.Series(EventFileReader.Read(_dir.Path), "acc")).Message);
        Assert.Contains("is a text, not a scalar", Assert.Throws<InvalidOperationException>(() => EventDump.Series(EventFileReader.Read(_dir.Path), "note")).Message);
    }
}
