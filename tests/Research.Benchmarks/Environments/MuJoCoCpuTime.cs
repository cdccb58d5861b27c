using System.Diagnostics;
using Research.Abstractions.Spaces;
using Research.Plugins.MuJoCo;

namespace Research.Benchmarks.Environments;

/// <summary>
/// CPU time (not wall time) per MuJoCo environment step and per bare MuJoCo calls, for a machine too busy for wall-clock
/// ratios: a process's CPU time hardly grows when other processes queue for the cores. Run with
/// <c>dotnet run -c Release --project tests/Research.Benchmarks -- mujoco-cpu [steps]</c> (tools/mujoco/bench.sh does, next to
/// mujoco-testspeed's CPU time).
/// </summary>
public static class MuJoCoCpuTime
{
    public static void Run(int steps)
    {
        Console.WriteLine($"process CPU time per environment step, {steps} steps; random = uniform actions over the control range, zero = all-zero actions (as mujoco-testspeed with control noise 0)");
        Console.WriteLine($"{"env",-16} {"random: env us",15} {"MuJoCo calls us",16} {"ratio",6} {"zero: env us",13} {"per mj_step us",15}");
        foreach (var (name, create) in new (string, Func<MuJoCoEnv>)[]
                 {
                     ("HalfCheetah-v4", () => new HalfCheetahEnv()),
                     ("Hopper-v4", () => new HopperEnv(new HopperOptions { TerminateWhenUnhealthy = false })),
                     ("Humanoid-v4", () => new HumanoidEnv(new HumanoidOptions { TerminateWhenUnhealthy = false })),
                 })
        {
            using var env = create();
            var observation = new float[env.ObservationSpace.FlatSize];
            var box = (Box)env.ActionSpace;
            var random = new Random(0);
            var actions = Enumerable.Range(0, 64).Select(_ => box.Low.Select((low, i) => low + (box.High[i] - low) * (float)random.NextDouble()).ToArray()).ToArray();
            var zero = new float[box.FlatSize];
            env.Reset(observation, seed: 0);
            void ZeroSteps(int n)
            {
                for (int t = 0; t < n; t++) env.Step(zero, observation);
            }
            void EnvSteps(int n)
            {
                for (int t = 0; t < n; t++) env.Step(actions[t & 63], observation);
            }
            void Calls(int n)
            {
                var data = env.Data;
                for (int t = 0; t < n; t++)
                {
                    var action = actions[t & 63];
                    var ctrl = data.Ctrl;
                    for (int i = 0; i < ctrl.Length; i++) ctrl[i] = action[i];
                    data.Step(env.FrameSkip);
                    data.RnePostConstraint();
                }
            }
            EnvSteps(2000);
            Calls(2000);
            double envMicros = CpuMicroseconds(() => EnvSteps(steps)) / steps;
            double callMicros = CpuMicroseconds(() => Calls(steps)) / steps;
            env.Reset(observation, seed: 0);
            ZeroSteps(2000);
            double zeroMicros = CpuMicroseconds(() => ZeroSteps(steps)) / steps;
            Console.WriteLine($"{name,-16} {envMicros,15:F2} {callMicros,16:F2} {envMicros / callMicros,6:F3} {zeroMicros,13:F2} {zeroMicros / env.FrameSkip,15:F2}");
        }
    }

    private static double CpuMicroseconds(Action run)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.TotalProcessorTime;
        run();
        process.Refresh();
        return (process.TotalProcessorTime - before).TotalMicroseconds;
    }
}
