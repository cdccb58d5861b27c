using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Rl.VectorEnvs;

/// <summary>Several copies of an environment stepped together into batched buffers, with Stable-Baselines' autoreset.</summary>
/// <remarks>
/// After <see cref="Step"/>, row i of <see cref="Observations"/> is env i's next observation — or, when its episode
/// ended (terminated or truncated), the first observation of its next episode, with the final observation of the ended
/// episode in row i of <see cref="TerminalObservations"/> (SB3's <c>info["terminal_observation"]</c>), so that
/// algorithms can bootstrap truncated episodes. The buffers are owned by the vector env and rewritten on every call.
/// </remarks>
public interface IVectorEnv : IDisposable
{
    /// <summary>Number of environments.</summary>
    int NumEnvs { get; }

    /// <summary>Observation space of one environment.</summary>
    Space SingleObservationSpace { get; }

    /// <summary>Action space of one environment.</summary>
    Space SingleActionSpace { get; }

    /// <summary>Current observations, <c>[NumEnvs × SingleObservationSpace.FlatSize]</c>.</summary>
    float[] Observations { get; }

    /// <summary>Rewards of the last step, one per environment.</summary>
    float[] Rewards { get; }

    /// <summary>Whether each environment's episode terminated at the last step.</summary>
    bool[] Terminated { get; }

    /// <summary>Whether each environment's episode was truncated at the last step.</summary>
    bool[] Truncated { get; }

    /// <summary>Final observations of the episodes that ended at the last step (row i valid when env i's episode ended).</summary>
    float[] TerminalObservations { get; }

    /// <summary>Episodes that ended at the last step, with their undiscounted, unnormalized return and length.</summary>
    IReadOnlyList<EpisodeRecord> CompletedEpisodes { get; }

    /// <summary>Resets every environment; with a seed, env i is seeded with <c>seed + i</c> as Stable-Baselines does.</summary>
    void Reset(int? seed = null);

    /// <summary>Steps every environment with its row of <paramref name="actions"/> (<c>[NumEnvs × SingleActionSpace.FlatSize]</c>).</summary>
    void Step(ReadOnlySpan<float> actions);

    /// <summary>The environments themselves (for rendering, evaluation and saving their state).</summary>
    IReadOnlyList<IEnv> Envs { get; }
}

/// <summary>One finished episode: which environment, its return and its length.</summary>
public readonly record struct EpisodeRecord(int EnvIndex, double Return, int Length);
