using Research.Abstractions.Metrics;
using Research.Rl.Logging;

namespace Research.Rl.Tests.Logging;

public sealed class MetricsLoggerTests
{
    [Fact]
    public void Repeated_tags_are_averaged_and_dumped_to_every_sink_in_first_recorded_order()
    {
        var first = new RecordingSink();
        var sinks = new List<IMetricsSink> { first };
        var logger = new MetricsLogger(sinks);
        logger.Record("train/loss", 1);
        logger.Record("time/fps", 50);
        logger.Record("train/loss", 3);
        logger.RecordText("info/phase", "warmup");
        Assert.True(logger.TryGetValue("train/loss", out var mean));
        Assert.Equal(2, mean);
        var second = new RecordingSink();
        sinks.Add(second); // added after recording: still receives the dump
        logger.Dump(128);

        foreach (var sink in new[] { first, second })
        {
            Assert.Equal([("train/loss", 2d, 128L), ("time/fps", 50d, 128L)], sink.Scalars);
            Assert.Equal([("info/phase", "warmup", 128L)], sink.Texts);
            Assert.Equal(1, sink.Flushes);
        }
        Assert.Empty(logger.PendingTags);
        logger.Record("train/loss", 5);
        logger.Dump(256);
        Assert.Equal(("train/loss", 5d, 256L), first.Scalars[^1]);
    }

    [Fact]
    public void Recording_known_tags_allocates_nothing()
    {
        var logger = new MetricsLogger([]);
        logger.Record("train/loss", 1);
        logger.Record("train/entropy", 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            logger.Record("train/loss", i);
            logger.Record("train/entropy", -i);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
