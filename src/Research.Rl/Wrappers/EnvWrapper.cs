using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Rl.Wrappers;

/// <summary>Base of wrappers: forwards everything to the inner environment unless overridden (Gymnasium's <c>Wrapper</c>).</summary>
public abstract class EnvWrapper(IEnv inner) : IEnv, IStateful
{
    /// <summary>The wrapped environment.</summary>
    public IEnv Inner { get; } = inner;

    /// <summary>The innermost environment under every wrapper.</summary>
    public IEnv Unwrapped => Inner is EnvWrapper w ? w.Unwrapped : Inner;

    public virtual Space ObservationSpace => Inner.ObservationSpace;
    public virtual Space ActionSpace => Inner.ActionSpace;
    public virtual IReadOnlyDictionary<string, object> Info => Inner.Info;

    public virtual void Reset(Span<float> observation, int? seed = null) => Inner.Reset(observation, seed);
    public virtual StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation) => Inner.Step(action, observation);
    public virtual RgbFrame Render() => Inner.Render();

    /// <summary>Writes this wrapper's own state, then the inner environment's.</summary>
    public virtual void WriteState(BinaryWriter writer)
    {
        if (Inner is IStateful stateful) stateful.WriteState(writer);
    }

    /// <summary>Reads what <see cref="WriteState"/> wrote.</summary>
    public virtual void ReadState(BinaryReader reader)
    {
        if (Inner is IStateful stateful) stateful.ReadState(reader);
    }

    public virtual void Dispose()
    {
        Inner.Dispose();
        GC.SuppressFinalize(this);
    }
}
