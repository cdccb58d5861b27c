using Research.Abstractions.Algorithms;

namespace Research.Rl.Callbacks;

/// <summary>
/// Stops training when more than <c>maxNoImprovementEvals</c> evaluations in a row bring no new best mean reward, counting
/// only after <c>minEvals</c> evaluations; pass it as an <see cref="EvalCallback"/>'s <c>callbackAfterEval</c>.
/// </summary>
public sealed class StopTrainingOnNoModelImprovement : EvalChildCallback
{
    private readonly int _maxNoImprovementEvals;
    private readonly int _minEvals;
    private readonly int _verbose;
    private readonly TextWriter _output;
    private double _lastBestMeanReward = double.NegativeInfinity;
    private int _evaluations;
    private int _noImprovementEvals;

    /// <summary>Creates the callback.</summary>
    public StopTrainingOnNoModelImprovement(int maxNoImprovementEvals, int minEvals = 0, int verbose = 0, TextWriter? output = null)
    {
        if (maxNoImprovementEvals < 0)
            throw new ArgumentOutOfRangeException(nameof(maxNoImprovementEvals), maxNoImprovementEvals, "StopTrainingOnNoModelImprovement: the count must not be negative.");
        _maxNoImprovementEvals = maxNoImprovementEvals;
        _minEvals = minEvals;
        _verbose = verbose;
        _output = output ?? Console.Out;
    }

    /// <inheritdoc />
    public override bool OnStep(IAlgorithm algorithm)
    {
        double best = RequireParent().BestMeanReward;
        _evaluations++;
        bool continueTraining = true;
        if (_evaluations > _minEvals)
        {
            if (best > _lastBestMeanReward) _noImprovementEvals = 0;
            else if (++_noImprovementEvals > _maxNoImprovementEvals) continueTraining = false;
        }
        _lastBestMeanReward = best;
        if (_verbose >= 1 && !continueTraining)
            _output.WriteLine($"Stopping training because there was no new best model in the last {_noImprovementEvals} evaluations");
        return continueTraining;
    }
}
