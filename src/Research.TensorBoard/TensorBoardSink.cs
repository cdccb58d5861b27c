using Research.Abstractions.Metrics;

namespace Research.TensorBoard;

/// <summary>An <see cref="IMetricsSink"/> that writes scalars, text and histograms to a run's TensorBoard event file.</summary>
public sealed class TensorBoardSink : IMetricsSink
{
    /// <summary>Opens a new event file in <paramref name="runDirectory"/>.</summary>
    public TensorBoardSink(string runDirectory, EventFileWriterOptions? options = null) => Writer = new SummaryWriter(runDirectory, options);

    /// <summary>The underlying writer, for images and hparams sessions.</summary>
    public SummaryWriter Writer { get; }

    /// <inheritdoc />
    public void RecordScalar(string tag, double value, long step) => Writer.AddScalar(tag, value, step);

    /// <inheritdoc />
    public void RecordText(string tag, string text, long step) => Writer.AddText(tag, text, step);

    /// <inheritdoc />
    public void RecordHistogram(string tag, ReadOnlySpan<float> values, long step) => Writer.AddHistogram(tag, values, step);

    /// <inheritdoc />
    public void Flush() => Writer.Flush();

    /// <inheritdoc />
    public void Dispose() => Writer.Dispose();
}
