using Research.Abstractions.Metrics;

namespace Research.Plugins.Imitation.Tests;

/// <summary>A metrics sink that keeps every scalar.</summary>
internal sealed class RecordingSink : IMetricsSink
{
    public List<(string Tag, double Value, long Step)> Scalars { get; } = [];

    public void RecordScalar(string tag, double value, long step) => Scalars.Add((tag, value, step));

    public void Flush() { }

    public void Dispose() { }

    public long[] Steps(string tag) => [.. Scalars.Where(s => s.Tag == tag).Select(s => s.Step)];

    public double Value(string tag, long step) => Scalars.Single(s => s.Tag == tag && s.Step == step).Value;
}
