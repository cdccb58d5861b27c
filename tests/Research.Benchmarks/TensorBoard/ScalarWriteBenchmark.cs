using BenchmarkDotNet.Attributes;
using Research.TensorBoard;

namespace Research.Benchmarks.TensorBoard;

/// <summary>Writing scalars to an event file: the budget is 1 million in under a second with no allocation per scalar.</summary>
[MemoryDiagnoser]
public class ScalarWriteBenchmark
{
    private const int Scalars = 1_000_000;
    private string _directory = "";
    private SummaryWriter _writer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "research-bench-tb-" + Guid.NewGuid().ToString("N"));
        _writer = new SummaryWriter(_directory);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>One million <c>AddScalar</c> calls (framing, CRC-32C, buffered file writes included).</summary>
    [Benchmark(OperationsPerInvoke = Scalars)]
    public void AddScalar()
    {
        for (int i = 0; i < Scalars; i++) _writer.AddScalar("rollout/ep_rew_mean", i * 0.5, i);
    }
}
