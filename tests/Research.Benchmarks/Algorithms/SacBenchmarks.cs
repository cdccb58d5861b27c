using BenchmarkDotNet.Attributes;
using Research.Plugins.ClassicControl;
using Research.Plugins.OffPolicy;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;
using Research.Tensors;

namespace Research.Benchmarks.Algorithms;

/// <summary>
/// SAC with the zoo's Pendulum-v1 settings (SB3's defaults: batch 256, a 256-256 actor and two 256-256 critics, learning rate 1e-3):
/// one environment step plus one gradient step, on one and two threads, and single-observation prediction.
/// </summary>
/// <remarks>
/// An update is <see cref="UpdateMultiplyAdds"/> multiply-adds (2 FLOP each): forward passes of the actor (observations, next
/// observations), both target critics, both critics twice; backward passes of both critics (weights and inputs), of both critics
/// into the action only (the actor's loss), and of the actor.
/// </remarks>
[MemoryDiagnoser]
public class SacUpdateBenchmarks
{
    /// <summary>Multiply-adds of one update for Pendulum's 3 observations and 1 action: 1,068,288 per row × 256 rows.</summary>
    public const long UpdateMultiplyAdds = 256L * (8 * 66_816 + 2 * 133_120 + 2 * 66_816 + 133_888);

    /// <summary>Threads the tensor kernels may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    private readonly float[] _observation = [0.5f, -0.8f, 1.2f];
    private readonly float[] _action = new float[1];
    private SyncVectorEnv _env = null!;
    private Sac _sac = null!;

    [GlobalSetup]
    public void Setup()
    {
        Parallelism.GlobalMaxThreads = Threads;
        _env = new SyncVectorEnv(_ => new TimeLimit(new PendulumEnv(), 200), 1);
        _sac = new Sac(_env, new SacOptions { Seed = 0, LearningRate = 1e-3 });
        _sac.Learn(1_000);
        Console.WriteLine($"// SAC update: {2.0 * UpdateMultiplyAdds / 1e9:F3} GFLOP");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sac.Dispose();
        _env.Dispose();
    }

    /// <summary>One iteration of the zoo's settings: one environment step into the replay buffer, then one gradient step.</summary>
    [Benchmark]
    public void StepAndUpdate() => _sac.Train();

    /// <summary>The deterministic action (tanh of the mean, scaled to the bounds) for one observation.</summary>
    [Benchmark]
    public float PredictOne()
    {
        _sac.Predict(_observation, _action, deterministic: true);
        return _action[0];
    }

    /// <summary>A sampled action for one observation.</summary>
    [Benchmark]
    public float PredictOneStochastic()
    {
        _sac.Predict(_observation, _action, deterministic: false);
        return _action[0];
    }
}
