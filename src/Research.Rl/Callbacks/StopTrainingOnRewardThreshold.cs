using System.Globalization;
using Research.Abstractions.Algorithms;

namespace Research.Rl.Callbacks;

/// <summary>Stops training once the evaluation's best mean reward reaches a threshold; pass it as an <see cref="EvalCallback"/>'s <c>callbackOnNewBest</c>.</summary>
public sealed class StopTrainingOnRewardThreshold(double rewardThreshold, int verbose = 0, TextWriter? output = null) : EvalChildCallback
{
    /// <summary>Mean reward at or above which training stops.</summary>
    public double RewardThreshold { get; } = rewardThreshold;

    /// <inheritdoc />
    public override bool OnStep(IAlgorithm algorithm)
    {
        double best = RequireParent().BestMeanReward;
        bool continueTraining = best < RewardThreshold;
        if (verbose >= 1 && !continueTraining)
            (output ?? Console.Out).WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Stopping training because the mean reward {best:F2} is above the threshold {RewardThreshold}"));
        return continueTraining;
    }
}
