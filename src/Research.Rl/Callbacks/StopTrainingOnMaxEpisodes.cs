using Research.Abstractions.Algorithms;
using Research.Rl.VectorEnvs;

namespace Research.Rl.Callbacks;

/// <summary>
/// Stops training after <c>maxEpisodes × n_envs</c> finished episodes of the training env, as Stable-Baselines'
/// <c>StopTrainingOnMaxEpisodes</c> (so each environment plays about <c>maxEpisodes</c>).
/// </summary>
public sealed class StopTrainingOnMaxEpisodes : TrainingCallback
{
    private readonly IVectorEnv _trainingEnv;
    private readonly int _verbose;
    private readonly TextWriter _output;

    /// <summary>Creates the callback for the vector env the algorithm trains on.</summary>
    public StopTrainingOnMaxEpisodes(IVectorEnv trainingEnv, int maxEpisodes, int verbose = 0, TextWriter? output = null)
    {
        _trainingEnv = trainingEnv ?? throw new ArgumentNullException(nameof(trainingEnv));
        if (maxEpisodes <= 0) throw new ArgumentOutOfRangeException(nameof(maxEpisodes), maxEpisodes, "StopTrainingOnMaxEpisodes: max_episodes must be positive.");
        MaxEpisodes = maxEpisodes;
        _verbose = verbose;
        _output = output ?? Console.Out;
    }

    /// <summary>Episodes per environment.</summary>
    public int MaxEpisodes { get; }

    /// <summary>Episodes finished so far, over all environments.</summary>
    public long Episodes { get; private set; }

    /// <inheritdoc />
    public override bool OnStep(IAlgorithm algorithm)
    {
        Episodes += _trainingEnv.CompletedEpisodes.Count;
        long total = (long)MaxEpisodes * _trainingEnv.NumEnvs;
        bool continueTraining = Episodes < total;
        if (_verbose >= 1 && !continueTraining)
            _output.WriteLine($"Stopping training with a total of {algorithm.NumTimesteps} steps because the algorithm reached max_episodes={MaxEpisodes} ({total} episodes over {_trainingEnv.NumEnvs} environments)");
        return continueTraining;
    }
}
