using System.Diagnostics;
using System.Globalization;
using Research.Tune;

namespace Research.Benchmarks.Tune;

/// <summary>
/// The driver's memory over a long sweep with a scheduler on (not a BenchmarkDotNet benchmark: it reports a curve, not a time):
/// a sweep of instant trials, two at a time in-process, with ASHA deciding at every rung; every 100 finished trials it prints the
/// managed heap after a full collection and the process's working set. Flat figures mean the driver keeps nothing per row.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project tests/Research.Benchmarks -- sweep-memory [trials] [scheduler]</c>.</remarks>
public static class SweepMemoryProbe
{
    /// <summary>Runs the probe; <paramref name="trials"/> trials of four iterations, <paramref name="scheduler"/> fifo or asha.</summary>
    public static async Task RunAsync(int trials, string scheduler)
    {
        string root = Directory.CreateTempSubdirectory("tune-memory-").FullName;
        try
        {
            var spec = new SweepSpec
            {
                Name = "memory",
                Algorithm = "Instant",
                Env = "None",
                Config = new Dictionary<string, object?> { ["x"] = new GridSearch(Enumerable.Range(0, trials).Select(i => (object?)(long)i).ToList()) },
                Stop = new Dictionary<string, double> { ["training_iteration"] = 4 },
                Metric = "episode_reward_mean",
                Seed = 0,
                MaxConcurrent = 2,
                Output = root,
                Scheduler = scheduler == "fifo" ? SchedulerSpec.Fifo
                    : new SchedulerSpec(scheduler, new Dictionary<string, object?> { ["grace_period"] = 1L, ["max_t"] = 4L, ["reduction_factor"] = 2L }),
            };
            var factory = new InstantTrialFactory();
            var probe = new Probe();
            var runner = new SweepRunner(factory, new InProcessExecutor(factory), new SweepRunnerOptions { Observer = probe });
            Console.WriteLine($"{trials} instant trials, scheduler {scheduler}, 2 at a time; load average {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine("finished  managed heap (MB)  working set (MB)  elapsed (s)");
            var result = await runner.RunAsync(spec);
            Console.WriteLine($"{result.Count(TrialStatus.Terminated)} TERMINATED; {result.Scheduler}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed class Probe : ISweepObserver
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _finished;

        public void OnTrialStatus(TrialSnapshot trial)
        {
            if (trial.Status != TrialStatus.Terminated || ++_finished % 100 != 0) return;
            double heap = GC.GetTotalMemory(forceFullCollection: true) / 1e6;
            double workingSet = Process.GetCurrentProcess().WorkingSet64 / 1e6;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_finished,8}  {heap,17:F1}  {workingSet,16:F1}  {_clock.Elapsed.TotalSeconds,11:F1}"));
        }
    }
}
