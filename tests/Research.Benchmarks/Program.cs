using BenchmarkDotNet.Running;
using Research.Benchmarks.Environments;
using Research.Benchmarks.Tune;

// mujoco-cpu [steps]: CPU time per MuJoCo step (see MuJoCoCpuTime); sweep-memory [trials] [scheduler]: the driver's memory
// curve over a long sweep (see SweepMemoryProbe); anything else: BenchmarkDotNet.
if (args is ["mujoco-cpu", ..])
{
    MuJoCoCpuTime.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000);
    return;
}
if (args is ["sweep-memory", .. var rest])
{
    await SweepMemoryProbe.RunAsync(rest.Length > 0 ? int.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture) : 1000,
        rest.Length > 1 ? rest[1] : "asha");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
