using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Research.Tune;

namespace Research.Benchmarks.Tune;

/// <summary>Driver overhead: a sweep of trivial trials (one instant iteration, a checkpoint at the end) run by the in-process executor, so process start-up is left out.</summary>
/// <remarks>Time per operation divided by <see cref="Trials"/> is the driver's overhead per trial: expansion, trial directories, state writes, result tailing, checkpoint.</remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class SweepDriverBenchmark
{
    private string _root = "";
    private int _run;

    /// <summary>How many trials the sweep has.</summary>
    [Params(100, 1000)]
    public int Trials { get; set; }

    [GlobalSetup]
    public void Setup() => _root = Directory.CreateTempSubdirectory("tune-bench-").FullName;

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark]
    public async Task<int> Sweep()
    {
        var spec = new SweepSpec
        {
            Name = $"bench{_run++}",
            Algorithm = "Instant",
            Env = "None",
            Config = new Dictionary<string, object?> { ["x"] = new GridSearch(Enumerable.Range(0, Trials).Select(i => (object?)(long)i).ToList()) },
            Stop = new Dictionary<string, double> { ["training_iteration"] = 1 },
            Seed = 0,
            MaxConcurrent = 2,
            Output = _root,
        };
        var factory = new InstantTrialFactory();
        var runner = new SweepRunner(factory, new InProcessExecutor(factory), new SweepRunnerOptions { PollInterval = TimeSpan.FromMilliseconds(100) });
        var result = await runner.RunAsync(spec);
        return result.Count(TrialStatus.Terminated);
    }
}
