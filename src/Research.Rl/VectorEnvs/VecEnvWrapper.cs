using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Rl.VectorEnvs;

/// <summary>Base of vector-env wrappers: forwards everything to the inner vector env unless overridden (Stable-Baselines' <c>VecEnvWrapper</c>).</summary>
public abstract class VecEnvWrapper(IVectorEnv inner) : IVectorEnvWrapper, IStateful
{
    /// <summary>The wrapped vector env.</summary>
    public IVectorEnv Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    public virtual int NumEnvs => Inner.NumEnvs;
    public virtual Space SingleObservationSpace => Inner.SingleObservationSpace;
    public virtual Space SingleActionSpace => Inner.SingleActionSpace;
    public virtual float[] Observations => Inner.Observations;
    public virtual float[] Rewards => Inner.Rewards;
    public virtual bool[] Terminated => Inner.Terminated;
    public virtual bool[] Truncated => Inner.Truncated;
    public virtual float[] TerminalObservations => Inner.TerminalObservations;
    public virtual IReadOnlyList<EpisodeRecord> CompletedEpisodes => Inner.CompletedEpisodes;
    public virtual IReadOnlyList<IEnv> Envs => Inner.Envs;

    public virtual void Reset(int? seed = null) => Inner.Reset(seed);
    public virtual void Step(ReadOnlySpan<float> actions) => Inner.Step(actions);

    /// <summary>Writes this wrapper's own state, then the inner vector env's.</summary>
    public virtual void WriteState(BinaryWriter writer) => StatefulInner().WriteState(writer);

    /// <summary>Reads what <see cref="WriteState"/> wrote.</summary>
    public virtual void ReadState(BinaryReader reader) => StatefulInner().ReadState(reader);

    /// <summary>The inner vector env as <see cref="IStateful"/>, or an error naming this wrapper and the inner type.</summary>
    protected IStateful StatefulInner() => Inner as IStateful
        ?? throw new InvalidOperationException($"{GetType().Name}: the inner vector env ({Inner.GetType().Name}) does not implement IStateful, so its state cannot be saved or restored.");

    public virtual void Dispose()
    {
        Inner.Dispose();
        GC.SuppressFinalize(this);
    }
}
