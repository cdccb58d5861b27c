using Research.Rl.Evaluation;

namespace Research.Rl.Tests.Evaluation;

public sealed class PolicyEvaluationTests
{
    [Fact]
    public void Returns_and_lengths_are_summed_per_episode_with_population_statistics()
    {
        var env = new ScriptedEnv(2, 3, 4);
        var modes = new List<bool>();
        PolicyFunction policy = (_, action, deterministic) =>
        {
            modes.Add(deterministic);
            action[0] = deterministic ? 1 : 0;
        };
        var result = PolicyEvaluation.EvaluatePolicy(policy, env, nEpisodes: 3, deterministic: true, seed: 7);

        Assert.Equal([4d, 6d, 8d], result.EpisodeRewards);
        Assert.Equal([2, 3, 4], result.EpisodeLengths);
        Assert.Equal(6, result.MeanReward);
        Assert.Equal(2 * Math.Sqrt(2 / 3d), result.StdReward, 1e-12);
        Assert.Equal(3, result.MeanLength);
        Assert.Equal(Math.Sqrt(2 / 3d), result.StdLength, 1e-12);
        Assert.Equal([7, null, null], env.ResetSeeds);
        Assert.All(modes, Assert.True);
    }

    [Fact]
    public void Stochastic_mode_is_passed_to_the_policy_and_episode_count_is_checked()
    {
        var env = new ScriptedEnv(5);
        var result = PolicyEvaluation.EvaluatePolicy((_, action, deterministic) => action[0] = deterministic ? 1 : 0, env, 2, deterministic: false);
        Assert.Equal([5d, 5d], result.EpisodeRewards);
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyEvaluation.EvaluatePolicy((_, _, _) => { }, env, 0));
    }
}
