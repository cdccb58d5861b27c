using BenchmarkDotNet.Running;
using Research.Benchmarks.Environments;

if (args is ["mujoco-cpu", ..])
{
    MuJoCoCpuTime.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
