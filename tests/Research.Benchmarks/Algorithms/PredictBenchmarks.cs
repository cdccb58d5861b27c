using BenchmarkDotNet.Attributes;
using Research.Plugins.ClassicControl;
using Research.Plugins.OnPolicy;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;

namespace Research.Benchmarks.Algorithms;

/// <summary>Single-observation prediction of a PPO policy (64×64 tanh MLP): CartPole (categorical) and Pendulum (Gaussian, clipped).</summary>
[MemoryDiagnoser]
public class PredictBenchmarks
{
    private readonly float[] _cartPoleObservation = [0.01f, -0.02f, 0.03f, 0.04f];
    private readonly float[] _pendulumObservation = [1f, 0f, 0.5f];
    private readonly float[] _action = new float[1];
    private readonly float[] _batchObservations = new float[64 * 4];
    private readonly float[] _batchActions = new float[64];
    private SyncVectorEnv _cartPoleEnv = null!, _pendulumEnv = null!;
    private Ppo _cartPole = null!, _pendulum = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cartPoleEnv = new SyncVectorEnv(_ => new TimeLimit(new CartPoleEnv(), 500), 1);
        _pendulumEnv = new SyncVectorEnv(_ => new TimeLimit(new PendulumEnv(), 200), 1);
        _cartPole = new Ppo(_cartPoleEnv, new PpoOptions { Seed = 0 });
        _pendulum = new Ppo(_pendulumEnv, new PpoOptions { Seed = 0 });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cartPole.Dispose();
        _pendulum.Dispose();
        _cartPoleEnv.Dispose();
        _pendulumEnv.Dispose();
    }

    [Benchmark(Description = "PPO CartPole predict, deterministic")]
    public void CartPoleDeterministic() => _cartPole.Predict(_cartPoleObservation, _action, deterministic: true);

    [Benchmark(Description = "PPO CartPole predict, sampled")]
    public void CartPoleSampled() => _cartPole.Predict(_cartPoleObservation, _action, deterministic: false);

    [Benchmark(Description = "PPO Pendulum predict, sampled")]
    public void PendulumSampled() => _pendulum.Predict(_pendulumObservation, _action, deterministic: false);

    [Benchmark(Description = "PPO CartPole predict, batch of 64")]
    public void CartPoleBatch() => _cartPole.Predict(_batchObservations, 64, _batchActions, deterministic: true);
}
