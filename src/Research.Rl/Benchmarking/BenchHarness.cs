using System.Diagnostics;
using Research.Abstractions.Algorithms;
using Research.Abstractions.Environments;
using Research.Rl.Evaluation;

namespace Research.Rl.Benchmarking;

/// <summary>One algorithm on one environment: how to build the algorithm for a seed and a fresh evaluation env.</summary>
/// <param name="Algorithm">Algorithm name, for the row.</param>
/// <param name="Environment">Environment id, for the row.</param>
/// <param name="Create">Builds the algorithm (with its training env) for a seed.</param>
/// <param name="CreateEvalEnv">Builds a separate environment (with its time limit) for the final evaluation.</param>
public sealed record BenchCase(string Algorithm, string Environment, Func<int, IAlgorithm> Create, Func<IEnv> CreateEvalEnv);

/// <summary>The outcome of training one case with one seed.</summary>
/// <param name="Algorithm">Algorithm name.</param>
/// <param name="Environment">Environment id.</param>
/// <param name="Seed">Seed of the run.</param>
/// <param name="Timesteps">Environment steps consumed.</param>
/// <param name="WallSeconds">Wall-clock training time (evaluation excluded).</param>
/// <param name="StepsPerSecond">Timesteps per wall-clock second.</param>
/// <param name="MeanReturn">Mean deterministic return of the final policy over the evaluation episodes.</param>
/// <param name="StdReturn">Population standard deviation of those returns.</param>
public sealed record BenchRow(string Algorithm, string Environment, int Seed, long Timesteps, double WallSeconds, double StepsPerSecond, double MeanReturn, double StdReturn);

/// <summary>Runs "algorithm × environment × seeds × timesteps" and reports speed and final quality, for <c>research bench</c>.</summary>
public static class BenchHarness
{
    /// <summary>Evaluation envs are seeded with this plus the run's seed, away from the training seeds.</summary>
    public const int EvaluationSeedOffset = 1_000_000;

    /// <summary>Trains every case with every seed for <paramref name="timesteps"/> steps, then evaluates <paramref name="evalEpisodes"/> deterministic episodes.</summary>
    public static IEnumerable<BenchRow> Run(IEnumerable<BenchCase> cases, IReadOnlyList<int> seeds, long timesteps, int evalEpisodes = 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timesteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(evalEpisodes);
        foreach (var benchCase in cases)
        foreach (int seed in seeds)
        {
            using var algorithm = benchCase.Create(seed);
            var clock = Stopwatch.StartNew();
            algorithm.Learn(timesteps);
            double seconds = clock.Elapsed.TotalSeconds;
            using var evalEnv = benchCase.CreateEvalEnv();
            var evaluation = PolicyEvaluation.EvaluatePolicy(algorithm.Predict, evalEnv, evalEpisodes, deterministic: true, seed: EvaluationSeedOffset + seed);
            yield return new BenchRow(benchCase.Algorithm, benchCase.Environment, seed, algorithm.NumTimesteps, seconds,
                algorithm.NumTimesteps / seconds, evaluation.MeanReward, evaluation.StdReward);
        }
    }
}
