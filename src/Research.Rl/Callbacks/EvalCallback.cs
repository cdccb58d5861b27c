using System.Globalization;
using Research.Abstractions.Algorithms;
using Research.Abstractions.Environments;
using Research.Rl.Evaluation;
using Research.Rl.Logging;

namespace Research.Rl.Callbacks;

/// <summary>
/// Evaluates the policy every <see cref="EvalCallbackOptions.EvalFreq"/> calls on a separate environment, as Stable-Baselines'
/// <c>EvalCallback</c>: logs <c>eval/mean_reward</c> and <c>eval/mean_ep_length</c> to the algorithm's sinks, keeps
/// <c>evaluations.json</c>, saves <c>best_model.zip</c> on a new best mean reward and then runs <c>callbackOnNewBest</c>.
/// </summary>
public sealed class EvalCallback : TrainingCallback
{
    private readonly IEnv _evalEnv;
    private readonly TrainingCallback? _callbackOnNewBest;
    private readonly TrainingCallback? _callbackAfterEval;
    private readonly TextWriter _output;
    private long _calls;
    private bool _seedUsed;

    /// <summary>Creates the callback.</summary>
    /// <param name="evalEnv">The evaluation environment (without reward normalization).</param>
    /// <param name="options">Frequency, episodes, paths.</param>
    /// <param name="callbackOnNewBest">Run when a new best mean reward is reached (for example <see cref="StopTrainingOnRewardThreshold"/>).</param>
    /// <param name="callbackAfterEval">Run after every evaluation (for example <see cref="StopTrainingOnNoModelImprovement"/>).</param>
    /// <param name="output">Where verbose lines go; standard output by default.</param>
    public EvalCallback(IEnv evalEnv, EvalCallbackOptions? options = null, TrainingCallback? callbackOnNewBest = null,
        TrainingCallback? callbackAfterEval = null, TextWriter? output = null)
    {
        _evalEnv = evalEnv ?? throw new ArgumentNullException(nameof(evalEnv));
        Options = options ?? new EvalCallbackOptions();
        if (Options.NEvalEpisodes <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), Options.NEvalEpisodes, "EvalCallback: n_eval_episodes must be positive.");
        _callbackOnNewBest = callbackOnNewBest;
        _callbackAfterEval = callbackAfterEval;
        if (callbackOnNewBest is EvalChildCallback onBest) onBest.Parent = this;
        if (callbackAfterEval is EvalChildCallback afterEval) afterEval.Parent = this;
        _output = output ?? Console.Out;
    }

    /// <summary>The settings.</summary>
    public EvalCallbackOptions Options { get; }

    /// <summary>Best mean reward of any evaluation so far (−∞ before the first).</summary>
    public double BestMeanReward { get; private set; } = double.NegativeInfinity;

    /// <summary>Mean reward of the latest evaluation (−∞ before the first).</summary>
    public double LastMeanReward { get; private set; } = double.NegativeInfinity;

    /// <summary>Every evaluation so far.</summary>
    public EvaluationLog Evaluations { get; } = new();

    /// <inheritdoc />
    public override void OnTrainingStart(IAlgorithm algorithm)
    {
        if (Options.BestModelSavePath is { } best) Directory.CreateDirectory(best);
        if (Options.LogPath is { } log) Directory.CreateDirectory(log);
        _callbackOnNewBest?.OnTrainingStart(algorithm);
        _callbackAfterEval?.OnTrainingStart(algorithm);
    }

    /// <inheritdoc />
    public override bool OnStep(IAlgorithm algorithm)
    {
        _calls++;
        if (Options.EvalFreq <= 0 || _calls % Options.EvalFreq != 0) return true;
        return Evaluate(algorithm);
    }

    /// <inheritdoc />
    public override void OnTrainingEnd(IAlgorithm algorithm)
    {
        _callbackOnNewBest?.OnTrainingEnd(algorithm);
        _callbackAfterEval?.OnTrainingEnd(algorithm);
    }

    private bool Evaluate(IAlgorithm algorithm)
    {
        int? seed = _seedUsed ? null : Options.Seed;
        _seedUsed = true;
        var result = PolicyEvaluation.EvaluatePolicy(algorithm.Predict, _evalEnv, Options.NEvalEpisodes, Options.Deterministic, seed);
        long timesteps = algorithm.NumTimesteps;

        if (Options.LogPath is { } logPath)
        {
            Evaluations.Add(timesteps, result.EpisodeRewards, result.EpisodeLengths);
            Evaluations.Write(Path.Combine(logPath, "evaluations.json"));
        }
        LastMeanReward = result.MeanReward;
        if (Options.Verbose >= 1)
        {
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Eval num_timesteps={timesteps}, episode_reward={result.MeanReward:F2} +/- {result.StdReward:F2}"));
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Episode length: {result.MeanLength:F2} +/- {result.StdLength:F2}"));
        }

        var logger = new MetricsLogger(algorithm.MetricsSinks);
        logger.Record("eval/mean_reward", result.MeanReward);
        logger.Record("eval/mean_ep_length", result.MeanLength);
        logger.Record("time/total_timesteps", timesteps);
        logger.Dump(timesteps);

        bool continueTraining = true;
        if (result.MeanReward > BestMeanReward)
        {
            if (Options.Verbose >= 1) _output.WriteLine("New best mean reward!");
            if (Options.BestModelSavePath is { } bestPath) algorithm.Save(Path.Combine(bestPath, "best_model.zip"));
            BestMeanReward = result.MeanReward;
            if (_callbackOnNewBest is not null) continueTraining = _callbackOnNewBest.OnStep(algorithm);
        }
        if (_callbackAfterEval is not null) continueTraining = continueTraining && _callbackAfterEval.OnStep(algorithm);
        return continueTraining;
    }
}
