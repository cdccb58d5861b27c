using Research.Abstractions.Environments;
using Research.Abstractions.Experts;
using Research.Plugins.ClassicControl;
using Research.Rl.Evaluation;
using Research.Rl.Wrappers;

namespace Research.Plugins.Experts.Tests;

/// <summary>Each expert plays 20 seeded episodes (seeds 0–19) of its environment under the registry's time limit.</summary>
public sealed class ExpertReturnTests
{
    private const int Episodes = 20;

    [Fact]
    public void CartPolePidBalancesEveryEpisodeToTheLimit()
    {
        var result = Play(new CartPolePidExpert(), new CartPoleEnv(), 500);
        Assert.All(result.EpisodeRewards, r => Assert.Equal(500, r));
    }

    [Fact]
    public void PendulumEnergySwingsUpAndBalances()
    {
        var result = Play(new PendulumEnergyExpert(), new PendulumEnv(), 200);
        Assert.True(result.MeanReward >= -200, $"mean {result.MeanReward}");
        Assert.True(result.MeanReward <= -100, $"mean {result.MeanReward} is better than Pendulum allows from random starts");
    }

    [Fact]
    public void MountainCarMomentumReachesTheFlagQuickly()
    {
        var result = Play(new MountainCarMomentumExpert(), new MountainCarEnv(), 200);
        Assert.True(result.MeanReward >= -120, $"mean {result.MeanReward}");
        Assert.All(result.EpisodeLengths, l => Assert.True(l < 200, "every episode ends at the flag, not at the time limit"));
    }

    [Fact]
    public void MountainCarContinuousMomentumSolvesTheTask()
    {
        var result = Play(new MountainCarContinuousMomentumExpert(), new ContinuousMountainCarEnv(), 999);
        Assert.True(result.MeanReward >= 90, $"mean {result.MeanReward}");
    }

    [Fact]
    public void AcrobotEnergySwingsUpWithinTheThreshold()
    {
        var result = Play(new AcrobotEnergyExpert(), new AcrobotEnv(), 500);
        Assert.True(result.MeanReward >= -100, $"mean {result.MeanReward}");
        Assert.All(result.EpisodeLengths, l => Assert.True(l < 500, "every episode reaches the goal line"));
    }

    [Fact]
    public void PendulumExpertFollowsTheEnvironmentsGravity()
    {
        var options = new PendulumEnergyOptions { G = 5 };
        var result = Play(new PendulumEnergyExpert(options), new PendulumEnv(new PendulumOptions { G = 5 }), 200);
        Assert.True(result.MeanReward >= -200, $"mean {result.MeanReward}");
    }

    internal static EvaluationResult Play(IExpert expert, IEnv env, int maxSteps)
    {
        using var limited = new TimeLimit(env, maxSteps);
        var result = PolicyEvaluation.EvaluatePolicy(Policy(expert), new ReseedingEnv(limited), Episodes);
        return result;
    }

    private static PolicyFunction Policy(IExpert expert) => (observation, action, _) => expert.Act(observation, action);

    /// <summary>Seeds episode k with seed k, so the 20 episodes are the same 20 starts every run.</summary>
    private sealed class ReseedingEnv(IEnv inner) : EnvWrapper(inner)
    {
        private int _episode;

        public override void Reset(Span<float> observation, int? seed = null) => Inner.Reset(observation, _episode++);
    }
}
