using BenchmarkDotNet.Running;
using Research.Benchmarks.Tune;

// sweep-memory [trials] [scheduler]: the driver's memory curve over a long sweep (see SweepMemoryProbe); anything else: BenchmarkDotNet.
if (args is ["sweep-memory", .. var rest])
{
    await SweepMemoryProbe.RunAsync(rest.Length > 0 ? int.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture) : 1000,
        rest.Length > 1 ? rest[1] : "asha");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
