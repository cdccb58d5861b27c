using Research.Abstractions.Metrics;

namespace Research.Rl.Tests.Logging;

/// <summary>A sink that keeps everything it receives.</summary>
internal sealed class RecordingSink : IMetricsSink
{
    public List<(string Tag, double Value, long Step)> Scalars { get; } = [];
    public List<(string Tag, string Text, long Step)> Texts { get; } = [];
    public int Flushes { get; private set; }
    public void RecordScalar(string tag, double value, long step) => Scalars.Add((tag, value, step));
    public void RecordText(string tag, string text, long step) => Texts.Add((tag, text, step));
    public void Flush() => Flushes++;
    public void Dispose() { }
}
