using Research.Abstractions.Spaces;

namespace Research.Abstractions.Environments;

/// <summary>An environment with Gymnasium's contract, stepping into caller-owned buffers so a step allocates nothing.</summary>
/// <remarks>
/// Observations and actions use the flat float encoding of <see cref="Space"/>.
/// <see cref="StepOutcome.Terminated"/> (the MDP ended) and <see cref="StepOutcome.Truncated"/>
/// (a time limit or other cut) are distinct: a truncated episode is bootstrapped, a terminated one is not.
/// Unlike Gymnasium, stepping before the first reset or after an episode ended throws.
/// </remarks>
public interface IEnv : IDisposable
{
    /// <summary>The space of observations.</summary>
    Space ObservationSpace { get; }

    /// <summary>The space of actions.</summary>
    Space ActionSpace { get; }

    /// <summary>Extra information about the last reset or step (Gymnasium's <c>info</c>); empty when there is none.</summary>
    IReadOnlyDictionary<string, object> Info { get; }

    /// <summary>Starts an episode and writes the first observation. A seed reseeds the environment's generator; no seed continues its stream.</summary>
    void Reset(Span<float> observation, int? seed = null);

    /// <summary>Applies an action and writes the next observation.</summary>
    StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation);

    /// <summary>Draws the current state as an RGB frame, with no window.</summary>
    RgbFrame Render();
}

/// <summary>What one environment step returned besides the observation.</summary>
public readonly record struct StepOutcome(double Reward, bool Terminated, bool Truncated)
{
    /// <summary>True when the episode is over for either reason.</summary>
    public bool Done => Terminated || Truncated;
}

/// <summary>An environment, wrapper or vector of environments whose full state (physics and generators) can be saved and restored.</summary>
public interface IStateful
{
    /// <summary>Writes the whole state, so that <see cref="ReadState"/> continues exactly where this left off.</summary>
    void WriteState(BinaryWriter writer);

    /// <summary>Restores a state written by <see cref="WriteState"/>.</summary>
    void ReadState(BinaryReader reader);
}
