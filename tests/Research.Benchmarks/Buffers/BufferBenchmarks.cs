using BenchmarkDotNet.Attributes;
using Research.Rl.Buffers;

namespace Research.Benchmarks.Buffers;

/// <summary>Per-step costs of the rollout and replay buffers at CartPole-like sizes (4 observation floats, 1 action, 8 envs).</summary>
[MemoryDiagnoser]
public class BufferBenchmarks
{
    private const int NumEnvs = 8;
    private const int ObservationSize = 4;
    private readonly float[] _observations = new float[NumEnvs * ObservationSize];
    private readonly float[] _actions = new float[NumEnvs];
    private readonly float[] _scalars = new float[NumEnvs];
    private readonly bool[] _flags = new bool[NumEnvs];
    private readonly SplitMix64Random _random = new(1);
    private RolloutBuffer _rollout = null!;
    private RolloutMinibatch _minibatch = null!;
    private ReplayBuffer _replay = null!;
    private ReplayBatch _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rollout = new RolloutBuffer(256, NumEnvs, ObservationSize, 1);
        _minibatch = new RolloutMinibatch(64, ObservationSize, 1);
        FillRollout();
        _replay = new ReplayBuffer(new ReplayBufferOptions(100_000, ObservationSize, 1, NumEnvs));
        for (int i = 0; i < 100_000 / NumEnvs; i++) _replay.Add(_observations, _observations, _actions, _scalars, _flags, _flags);
        _batch = new ReplayBatch(64, ObservationSize, 1);
    }

    private void FillRollout()
    {
        _rollout.Reset();
        for (int t = 0; t < _rollout.NumSteps; t++) _rollout.Add(_observations, _actions, _scalars, _flags, _scalars, _scalars);
    }

    /// <summary>One full rollout of 256 vector steps (2048 transitions) added, including the reset.</summary>
    [Benchmark]
    public void RolloutAdd256Steps() => FillRollout();

    /// <summary>GAE over 2048 transitions.</summary>
    [Benchmark]
    public void RolloutGae() => _rollout.ComputeReturnsAndAdvantage(_scalars, _flags);

    /// <summary>One epoch: shuffle 2048 rows and gather 32 minibatches of 64.</summary>
    [Benchmark]
    public void RolloutEpochOfMinibatches()
    {
        foreach (var indices in _rollout.GetMinibatches(64, _random)) _rollout.Gather(indices, _minibatch);
    }

    /// <summary>One vector step (8 transitions) into a full 100k replay buffer.</summary>
    [Benchmark]
    public void ReplayAdd() => _replay.Add(_observations, _observations, _actions, _scalars, _flags, _flags);

    /// <summary>One batch of 64 sampled from a full 100k replay buffer.</summary>
    [Benchmark]
    public void ReplaySample64() => _replay.Sample(_batch, _random);
}
