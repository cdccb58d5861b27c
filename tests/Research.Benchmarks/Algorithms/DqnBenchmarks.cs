using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Research.Abstractions.Environments;
using Research.Plugins.ClassicControl;
using Research.Plugins.OffPolicy;
using Research.Rl.Evaluation;
using Research.Rl.Policies;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;
using Research.Tensors;
using Research.Tensors.Nn;

namespace Research.Benchmarks.Algorithms;

/// <summary>The zoo's DQN settings for the classic-control tasks (rl-baselines3-zoo hyperparams/dqn.yml).</summary>
internal static class DqnZoo
{
    public static (DqnOptions Options, int Timesteps, Func<IEnv> Env) For(string id, int seed)
    {
        var kwargs = new PolicyOptions { ActivationFn = Activation.Relu, NetArch = new NetArchOptions { Qf = [256, 256] } };
        return id switch
        {
            "CartPole-v1" => (new DqnOptions
            {
                Seed = seed, LearningRate = 2.3e-3, BatchSize = 64, BufferSize = 100_000, LearningStarts = 1000, Gamma = 0.99,
                TargetUpdateInterval = 10, TrainFreq = 256, GradientSteps = 128, ExplorationFraction = 0.16, ExplorationFinalEps = 0.04,
                PolicyKwargs = kwargs,
            }, 50_000, () => new TimeLimit(new CartPoleEnv(), 500)),
            "MountainCar-v0" => (new DqnOptions
            {
                Seed = seed, LearningRate = 4e-3, BatchSize = 128, BufferSize = 10_000, LearningStarts = 1000, Gamma = 0.98,
                TargetUpdateInterval = 600, TrainFreq = 16, GradientSteps = 8, ExplorationFraction = 0.2, ExplorationFinalEps = 0.07,
                PolicyKwargs = kwargs,
            }, 120_000, () => new TimeLimit(new MountainCarEnv(), 200)),
            "Acrobot-v1" => (new DqnOptions
            {
                Seed = seed, LearningRate = 6.3e-4, BatchSize = 128, BufferSize = 50_000, LearningStarts = 0, Gamma = 0.99,
                TargetUpdateInterval = 250, TrainFreq = 4, GradientSteps = -1, ExplorationFraction = 0.12, ExplorationFinalEps = 0.1,
                PolicyKwargs = kwargs,
            }, 100_000, () => new TimeLimit(new AcrobotEnv(), 500)),
            _ => throw new ArgumentException($"No zoo DQN settings for {id}.", nameof(id)),
        };
    }
}

/// <summary>Per-update costs of DQN with the zoo's CartPole-v1 settings (256×256 Q-network, batch 64), on one and two threads.</summary>
[MemoryDiagnoser]
public class DqnUpdateBenchmarks
{
    /// <summary>Threads the tensor kernels may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    private readonly float[] _observation = [0.01f, -0.02f, 0.03f, 0.04f];
    private readonly float[] _action = new float[1];
    private SyncVectorEnv _env = null!;
    private Dqn _dqn = null!;

    [GlobalSetup]
    public void Setup()
    {
        Parallelism.GlobalMaxThreads = Threads;
        var (options, _, env) = DqnZoo.For("CartPole-v1", 0);
        _env = new SyncVectorEnv(_ => env(), 1);
        _dqn = new Dqn(_env, options);
        _dqn.Learn(2048);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _dqn.Dispose();
        _env.Dispose();
    }

    /// <summary>One iteration: 256 ε-greedy environment steps stored in the replay buffer, then 128 gradient steps (divide by 128 for one update).</summary>
    [Benchmark]
    public void TrainIteration() => _dqn.Train();

    /// <summary>argmax Q for one observation.</summary>
    [Benchmark]
    public float PredictOne()
    {
        _dqn.Predict(_observation, _action, deterministic: true);
        return _action[0];
    }
}

/// <summary>Whole zoo training runs (SB3 reference for CartPole-v1: about 119 s for 50k steps); prints the final mean deterministic return.</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1)]
public class DqnZooRunBenchmarks
{
    private SyncVectorEnv _env = null!;
    private Dqn _dqn = null!;
    private int _timesteps;
    private Func<IEnv> _makeEnv = null!;

    [Params("CartPole-v1")]
    public string Env { get; set; } = "CartPole-v1";

    [Params(0, 1, 2)]
    public int Seed { get; set; }

    [IterationSetup]
    public void Setup()
    {
        var (options, timesteps, makeEnv) = DqnZoo.For(Env, Seed);
        _timesteps = timesteps;
        _makeEnv = makeEnv;
        _env = new SyncVectorEnv(_ => makeEnv(), 1);
        _dqn = new Dqn(_env, options);
    }

    [IterationCleanup]
    public void Cleanup()
    {
        var result = PolicyEvaluation.EvaluatePolicy(_dqn.Predict, _makeEnv(), 10, deterministic: true, seed: 1000);
        Console.WriteLine($"// DQN {Env} seed {Seed}: mean deterministic return over 10 episodes {result.MeanReward:F1} ± {result.StdReward:F1}");
        _dqn.Dispose();
        _env.Dispose();
    }

    /// <summary>Trains for the zoo's n_timesteps.</summary>
    [Benchmark]
    public void Learn() => _dqn.Learn(_timesteps);
}
