using BenchmarkDotNet.Attributes;
using Research.Abstractions.Environments;
using Research.Plugins.ClassicControl;
using Research.Rl.Wrappers;

namespace Research.Benchmarks.Environments;

/// <summary>Steps of one environment with presampled random actions, through the registry's TimeLimit (resetting when an episode ends).</summary>
/// <remarks>Compare with Gymnasium's "presampled actions" column in the peers' table (CartPole 106k, Pendulum 20.8k steps/s).</remarks>
[MemoryDiagnoser]
public class SingleEnvBenchmarks
{
    private const int Steps = 100_000;

    private IEnv _env = null!;
    private float[] _actions = null!;
    private float[] _observation = null!;

    [Params("CartPole-v1", "Pendulum-v1")]
    public string Id { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        IEnv raw = Id == "CartPole-v1" ? new CartPoleEnv() : new PendulumEnv();
        _env = new TimeLimit(raw, Id == "CartPole-v1" ? 500 : 200);
        int size = _env.ActionSpace.FlatSize;
        _actions = new float[Steps * size];
        _env.ActionSpace.Seed(0);
        for (int i = 0; i < Steps; i++) _env.ActionSpace.Sample(_actions.AsSpan(i * size, size));
        _observation = new float[_env.ObservationSpace.FlatSize];
        _env.Reset(_observation, 0);
    }

    /// <summary>100k steps; divide the time by 100k for one step (BenchmarkDotNet reports the whole loop).</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public double Step()
    {
        double total = 0;
        var actions = _actions.AsSpan();
        var observation = _observation.AsSpan();
        int size = _env.ActionSpace.FlatSize;
        for (int i = 0; i < Steps; i++)
        {
            var outcome = _env.Step(actions.Slice(i * size, size), observation);
            total += outcome.Reward;
            if (outcome.Done) _env.Reset(observation);
        }
        return total;
    }
}
