namespace Research.Rl.Evaluation;

/// <summary>The outcome of <see cref="PolicyEvaluation.EvaluatePolicy"/>: per-episode returns and lengths and their summaries.</summary>
public sealed class EvaluationResult
{
    /// <summary>Wraps per-episode returns and lengths (same count, at least one).</summary>
    public EvaluationResult(IReadOnlyList<double> episodeRewards, IReadOnlyList<int> episodeLengths)
    {
        ArgumentNullException.ThrowIfNull(episodeRewards);
        ArgumentNullException.ThrowIfNull(episodeLengths);
        if (episodeRewards.Count == 0 || episodeRewards.Count != episodeLengths.Count)
            throw new ArgumentException($"EvaluationResult: {episodeRewards.Count} rewards and {episodeLengths.Count} lengths; need the same positive count.");
        EpisodeRewards = episodeRewards;
        EpisodeLengths = episodeLengths;
        MeanReward = episodeRewards.Average();
        StdReward = PopulationStd(episodeRewards, MeanReward);
        MeanLength = episodeLengths.Average();
        StdLength = PopulationStd(episodeLengths.Select(l => (double)l).ToList(), MeanLength);
    }

    /// <summary>Undiscounted return of each episode, in order.</summary>
    public IReadOnlyList<double> EpisodeRewards { get; }

    /// <summary>Length of each episode, in order.</summary>
    public IReadOnlyList<int> EpisodeLengths { get; }

    /// <summary>Mean return.</summary>
    public double MeanReward { get; }

    /// <summary>Standard deviation of the returns (population, as NumPy's <c>np.std</c>).</summary>
    public double StdReward { get; }

    /// <summary>Mean length.</summary>
    public double MeanLength { get; }

    /// <summary>Standard deviation of the lengths (population).</summary>
    public double StdLength { get; }

    private static double PopulationStd(IReadOnlyList<double> values, double mean)
    {
        double sum = 0;
        foreach (var v in values) sum += (v - mean) * (v - mean);
        return Math.Sqrt(sum / values.Count);
    }
}
