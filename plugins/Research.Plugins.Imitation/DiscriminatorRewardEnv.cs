using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.VectorEnvs;

namespace Research.Plugins.Imitation;

/// <summary>
/// A vector env whose rewards are the discriminator's (imitation's <c>RewardVecEnvWrapper</c>); everything else, including
/// <see cref="CompletedEpisodes"/> with the raw returns, is the inner env's. It also keeps the last <c>capacity</c>
/// (observation, action) pairs the generator played, for the discriminator's updates.
/// </summary>
/// <remarks>The caller owns the inner env: disposing this wrapper leaves it open.</remarks>
public sealed class DiscriminatorRewardEnv : IVectorEnv, IStateful
{
    private readonly IVectorEnv _inner;
    private readonly Discriminator _discriminator;
    private readonly DiscriminatorReward _form;
    private readonly float[] _rewards, _observationsBefore, _pairObservations, _pairActions;
    private int _next, _stored;

    /// <summary>Wraps <paramref name="inner"/>, keeping the last <paramref name="capacity"/> generator pairs.</summary>
    public DiscriminatorRewardEnv(IVectorEnv inner, Discriminator discriminator, DiscriminatorReward form, int capacity)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _discriminator = discriminator ?? throw new ArgumentNullException(nameof(discriminator));
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, inner.NumEnvs);
        _form = form;
        Capacity = capacity;
        _rewards = new float[inner.NumEnvs];
        _observationsBefore = new float[inner.Observations.Length];
        _pairObservations = new float[capacity * inner.SingleObservationSpace.FlatSize];
        _pairActions = new float[capacity * inner.SingleActionSpace.FlatSize];
    }

    /// <summary>Generator pairs kept.</summary>
    public int Capacity { get; }

    /// <summary>Generator pairs stored so far (up to <see cref="Capacity"/>).</summary>
    public int StoredPairs => _stored;

    /// <inheritdoc />
    public int NumEnvs => _inner.NumEnvs;

    /// <inheritdoc />
    public Space SingleObservationSpace => _inner.SingleObservationSpace;

    /// <inheritdoc />
    public Space SingleActionSpace => _inner.SingleActionSpace;

    /// <inheritdoc />
    public float[] Observations => _inner.Observations;

    /// <summary>The discriminator's rewards for the last step.</summary>
    public float[] Rewards => _rewards;

    /// <summary>The environment's own rewards for the last step.</summary>
    public float[] RawRewards => _inner.Rewards;

    /// <inheritdoc />
    public bool[] Terminated => _inner.Terminated;

    /// <inheritdoc />
    public bool[] Truncated => _inner.Truncated;

    /// <inheritdoc />
    public float[] TerminalObservations => _inner.TerminalObservations;

    /// <inheritdoc />
    public IReadOnlyList<EpisodeRecord> CompletedEpisodes => _inner.CompletedEpisodes;

    /// <inheritdoc />
    public IReadOnlyList<IEnv> Envs => _inner.Envs;

    /// <inheritdoc />
    public void Reset(int? seed = null) => _inner.Reset(seed);

    /// <inheritdoc />
    public void Step(ReadOnlySpan<float> actions)
    {
        int n = NumEnvs, observationSize = SingleObservationSpace.FlatSize, actionSize = SingleActionSpace.FlatSize;
        _inner.Observations.CopyTo(_observationsBefore, 0);
        for (int i = 0; i < n; i++)
        {
            _observationsBefore.AsSpan(i * observationSize, observationSize).CopyTo(_pairObservations.AsSpan(_next * observationSize));
            actions.Slice(i * actionSize, actionSize).CopyTo(_pairActions.AsSpan(_next * actionSize));
            _next = (_next + 1) % Capacity;
            _stored = Math.Min(_stored + 1, Capacity);
        }
        _inner.Step(actions);
        _discriminator.Rewards(_observationsBefore, actions, n, _form, _rewards);
    }

    /// <summary>Copies stored pair <paramref name="index"/> (0 ≤ index &lt; <see cref="StoredPairs"/>) into the spans.</summary>
    public void CopyPair(int index, Span<float> observation, Span<float> action)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _stored);
        int observationSize = SingleObservationSpace.FlatSize, actionSize = SingleActionSpace.FlatSize;
        _pairObservations.AsSpan(index * observationSize, observationSize).CopyTo(observation);
        _pairActions.AsSpan(index * actionSize, actionSize).CopyTo(action);
    }

    /// <summary>Writes the inner env's state and the stored pairs.</summary>
    public void WriteState(BinaryWriter writer)
    {
        InnerState().WriteState(writer);
        writer.Write(_next);
        writer.Write(_stored);
        foreach (float v in _pairObservations) writer.Write(v);
        foreach (float v in _pairActions) writer.Write(v);
    }

    /// <summary>Reads what <see cref="WriteState"/> wrote.</summary>
    public void ReadState(BinaryReader reader)
    {
        InnerState().ReadState(reader);
        _next = reader.ReadInt32();
        _stored = reader.ReadInt32();
        for (int i = 0; i < _pairObservations.Length; i++) _pairObservations[i] = reader.ReadSingle();
        for (int i = 0; i < _pairActions.Length; i++) _pairActions[i] = reader.ReadSingle();
    }

    /// <summary>Leaves the inner env open: it belongs to the caller.</summary>
    public void Dispose() { }

    private IStateful InnerState() => _inner as IStateful
        ?? throw new InvalidOperationException($"GAIL: the environment ({_inner.GetType().Name}) does not implement IStateful, so its state cannot be saved.");
}
