using BenchmarkDotNet.Attributes;
using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Plugins.MuJoCo;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;

namespace Research.Benchmarks.Environments;

/// <summary>
/// One MuJoCo environment step (frame_skip mj_steps, mj_rnePostConstraint, reward and observation) against the same MuJoCo
/// calls made directly; compare with <c>mujoco-testspeed</c> on the same model (tools/mujoco/bench.sh runs both).
/// </summary>
[MemoryDiagnoser]
public class MuJoCoStepBenchmarks
{
    private const int Steps = 1000;
    private MuJoCoEnv _env = null!;
    private float[][] _actions = null!;
    private float[] _observation = null!;

    /// <summary>The environment.</summary>
    [Params("HalfCheetah-v4", "Hopper-v4", "Humanoid-v4")]
    public string Env { get; set; } = "HalfCheetah-v4";

    [GlobalSetup]
    public void Setup()
    {
        _env = Env switch
        {
            "HalfCheetah-v4" => new HalfCheetahEnv(),
            "Hopper-v4" => new HopperEnv(new HopperOptions { TerminateWhenUnhealthy = false }),
            _ => new HumanoidEnv(new HumanoidOptions { TerminateWhenUnhealthy = false }),
        };
        _observation = new float[_env.ObservationSpace.FlatSize];
        _env.Reset(_observation, seed: 0);
        // Uniform actions over the whole control range, as mujoco-testspeed's control noise of 1.
        var box = (Box)_env.ActionSpace;
        var random = new Random(0);
        _actions = [.. Enumerable.Range(0, 64).Select(_ => box.Low.Select((low, i) => low + (box.High[i] - low) * (float)random.NextDouble()).ToArray())];
    }

    [GlobalCleanup]
    public void Cleanup() => _env.Dispose();

    /// <summary>Environment steps (Hopper and Humanoid without termination, so no resets are timed).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public void EnvStep()
    {
        for (int t = 0; t < Steps; t++) _env.Step(_actions[t & 63], _observation);
    }

    /// <summary>The MuJoCo calls of an environment step without the environment: ctrl, frame_skip mj_steps, mj_rnePostConstraint.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public void MuJoCoCallsOnly()
    {
        var data = _env.Data;
        for (int t = 0; t < Steps; t++)
        {
            var action = _actions[t & 63];
            var ctrl = data.Ctrl;
            for (int i = 0; i < ctrl.Length; i++) ctrl[i] = action[i];
            data.Step(_env.FrameSkip);
            data.RnePostConstraint();
        }
    }
}

/// <summary>A vector of 8 HalfCheetah-v4 stepped on one thread and on two (ParallelVectorEnv), and in SyncVectorEnv.</summary>
[MemoryDiagnoser]
public class MuJoCoVectorBenchmarks
{
    private const int Steps = 100;
    private IVectorEnv _vector = null!;
    private float[] _actions = null!;

    /// <summary>Threads of the parallel vector env; 0 is SyncVectorEnv.</summary>
    [Params(0, 1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        static IEnv Cheetah(int _) => new TimeLimit(new HalfCheetahEnv(), 1000);
        _vector = Threads == 0 ? new SyncVectorEnv(Cheetah, 8) : new ParallelVectorEnv(Cheetah, 8, new ParallelVectorEnvOptions(MaxThreads: Threads));
        _vector.Reset(seed: 0);
        var random = new Random(0);
        _actions = [.. Enumerable.Range(0, 8 * 6).Select(_ => (float)(2 * random.NextDouble() - 1))];
    }

    [GlobalCleanup]
    public void Cleanup() => _vector.Dispose();

    /// <summary>One vector step of 8 HalfCheetahs (8 environment steps, autoreset included).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public void VectorStep8()
    {
        for (int t = 0; t < Steps; t++) _vector.Step(_actions);
    }
}
