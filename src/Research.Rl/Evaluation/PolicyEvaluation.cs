using Research.Abstractions.Environments;

namespace Research.Rl.Evaluation;

/// <summary>Runs a policy for whole episodes and reports their returns, as Stable-Baselines' <c>evaluate_policy</c>.</summary>
public static class PolicyEvaluation
{
    /// <summary>
    /// Plays <paramref name="nEpisodes"/> episodes of <paramref name="env"/> with <paramref name="predict"/> and sums the rewards
    /// the env returns; pass an env without reward normalization so these are the raw rewards.
    /// </summary>
    /// <param name="predict">The policy, for example <c>algorithm.Predict</c>.</param>
    /// <param name="env">The evaluation environment; it must end its episodes (for example through <c>TimeLimit</c>).</param>
    /// <param name="nEpisodes">Episodes to play.</param>
    /// <param name="deterministic">Whether the policy acts deterministically.</param>
    /// <param name="seed">Seed of the first reset; later episodes continue the env's generator.</param>
    public static EvaluationResult EvaluatePolicy(PolicyFunction predict, IEnv env, int nEpisodes, bool deterministic = true, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(predict);
        ArgumentNullException.ThrowIfNull(env);
        if (nEpisodes <= 0) throw new ArgumentOutOfRangeException(nameof(nEpisodes), nEpisodes, "EvaluatePolicy: the number of episodes must be positive.");

        var observation = new float[env.ObservationSpace.FlatSize];
        var action = new float[env.ActionSpace.FlatSize];
        var rewards = new double[nEpisodes];
        var lengths = new int[nEpisodes];
        for (int episode = 0; episode < nEpisodes; episode++)
        {
            env.Reset(observation, episode == 0 ? seed : null);
            double total = 0;
            int length = 0;
            StepOutcome outcome;
            do
            {
                predict(observation, action, deterministic);
                outcome = env.Step(action, observation);
                total += outcome.Reward;
                length++;
            }
            while (!outcome.Done);
            rewards[episode] = total;
            lengths[episode] = length;
        }
        return new EvaluationResult(rewards, lengths);
    }
}
