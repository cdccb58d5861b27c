using Research.Tensors.Io;

namespace Research.Rl.Imitation;

/// <summary>
/// Recorded expert transitions in Stable-Baselines' layout (its <c>traj_data</c> dict): per-step observations, actions and
/// rewards concatenated over episodes, <c>episode_starts</c> marking each episode's first step, one return per episode.
/// </summary>
/// <remarks>
/// Observations and actions use the contract's flat float encoding, <see cref="Count"/> rows of
/// <see cref="ObservationSize"/> and <see cref="ActionSize"/> elements. Image observations are not held in memory:
/// <see cref="ObservationPaths"/> lists one PNG per step (relative to <see cref="ImageRoot"/>) and
/// <see cref="Observations"/> is empty. The dtypes are what a file stores them as.
/// </remarks>
public sealed class ExpertTrajectories
{
    /// <summary>Checks that the parts fit together; <paramref name="source"/> names them in errors (a file path or a description).</summary>
    public ExpertTrajectories(
        string source,
        float[] observations,
        int[] observationShape,
        float[] actions,
        int[] actionShape,
        bool[] episodeStarts,
        double[] episodeReturns,
        double[]? rewards = null,
        NpyDType observationDType = NpyDType.Float32,
        NpyDType actionDType = NpyDType.Float32,
        IReadOnlyList<string>? observationPaths = null,
        string imageRoot = "")
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(episodeStarts);
        ArgumentNullException.ThrowIfNull(episodeReturns);
        Source = source;
        ObservationShape = observationShape;
        ActionShape = actionShape;
        ObservationSize = Product(observationShape);
        ActionSize = Product(actionShape);
        Count = episodeStarts.Length;

        int observationRows = observationPaths?.Count ?? (ObservationSize == 0 ? 0 : observations.Length / ObservationSize);
        if (observationPaths is null && observations.Length != observationRows * ObservationSize)
            throw new ExpertDataException($"{source}: 'obs' has {observations.Length} values, not a whole number of observations of shape {NpyArray.FormatShape(observationShape)}.");
        if (actions.Length % Math.Max(ActionSize, 1) != 0)
            throw new ExpertDataException($"{source}: 'actions' has {actions.Length} values, not a whole number of actions of shape {NpyArray.FormatShape(actionShape)}.");
        int actionRows = actions.Length / Math.Max(ActionSize, 1);
        if (observationRows != Count || actionRows != Count || (rewards is not null && rewards.Length != Count))
        {
            string rewardPart = rewards is null ? "" : $", rewards {rewards.Length}";
            throw new ExpertDataException($"{source}: the per-step keys have unequal lengths (obs {observationRows}, actions {actionRows}, episode_starts {Count}{rewardPart}).");
        }
        if (Count == 0) throw new ExpertDataException($"{source}: there are no transitions.");
        if (!episodeStarts[0]) throw new ExpertDataException($"{source}: episode_starts[0] is false; the first step must start an episode.");
        int episodes = episodeStarts.Count(s => s);
        if (episodes != episodeReturns.Length)
            throw new ExpertDataException($"{source}: episode_starts marks {episodes} episodes but episode_returns has {episodeReturns.Length} values.");

        Observations = observations;
        Actions = actions;
        EpisodeStarts = episodeStarts;
        EpisodeReturns = episodeReturns;
        Rewards = rewards;
        ObservationDType = observationDType;
        ActionDType = actionDType;
        ObservationPaths = observationPaths;
        ImageRoot = imageRoot;
    }

    /// <summary>Where the data came from (a file path or a description), for messages.</summary>
    public string Source { get; }

    /// <summary>The number of transitions (steps).</summary>
    public int Count { get; }

    /// <summary>The number of episodes.</summary>
    public int EpisodeCount => EpisodeReturns.Length;

    /// <summary>Observations, <see cref="Count"/> × <see cref="ObservationSize"/>; empty for image data.</summary>
    public float[] Observations { get; }

    /// <summary>The shape of one observation (for example <c>[4]</c>, <c>[1]</c> for a Discrete space, <c>[84, 84, 3]</c>).</summary>
    public int[] ObservationShape { get; }

    /// <summary>Elements in one observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Actions, <see cref="Count"/> × <see cref="ActionSize"/>.</summary>
    public float[] Actions { get; }

    /// <summary>The shape of one action (<c>[1]</c> for a Discrete space, as Stable-Baselines stores it).</summary>
    public int[] ActionShape { get; }

    /// <summary>Elements in one action.</summary>
    public int ActionSize { get; }

    /// <summary>True at the first step of each episode.</summary>
    public bool[] EpisodeStarts { get; }

    /// <summary>The undiscounted return of each episode.</summary>
    public double[] EpisodeReturns { get; }

    /// <summary>The reward of each step, or null when the source has none (Stable-Baselines' dataset does not need them).</summary>
    public double[]? Rewards { get; }

    /// <summary>The dtype observations are stored as.</summary>
    public NpyDType ObservationDType { get; }

    /// <summary>The dtype actions are stored as (<see cref="NpyDType.Int64"/> for Discrete actions, as Stable-Baselines writes).</summary>
    public NpyDType ActionDType { get; }

    /// <summary>For image observations: one PNG path per step, relative to <see cref="ImageRoot"/>; otherwise null.</summary>
    public IReadOnlyList<string>? ObservationPaths { get; }

    /// <summary>The directory image paths are relative to.</summary>
    public string ImageRoot { get; }

    /// <summary>Whether observations are image files loaded on demand.</summary>
    public bool HasImages => ObservationPaths is not null;

    /// <summary>The full path of the image of step <paramref name="index"/>.</summary>
    public string ImagePath(int index) => Path.Combine(ImageRoot, ObservationPaths![index]);

    private static int Product(int[] shape)
    {
        int size = 1;
        foreach (int d in shape) size = checked(size * d);
        return size;
    }
}
