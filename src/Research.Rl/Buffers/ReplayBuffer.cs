using Research.Rl.VectorEnvs;

namespace Research.Rl.Buffers;

/// <summary>
/// The off-policy transition store of Stable-Baselines' <c>ReplayBuffer</c>: a circular <c>[slots × nEnvs × …]</c> array of
/// observations, next observations, actions, rewards, dones and timeouts, sampled uniformly into a caller-owned batch.
/// </summary>
/// <remarks>
/// With <see cref="ReplayBufferOptions.HandleTimeoutTermination"/>, a transition that was truncated but not terminated is
/// sampled with done = 0, so the target bootstraps from its next observation (which must be the terminal observation).
/// With <see cref="ReplayBufferOptions.OptimizeMemoryUsage"/>, next observations live in the following slot, and the slot at
/// the write position is never sampled when the buffer is full. As in SB3, the two options cannot be combined, because
/// the next step's first observation overwrites the terminal observation a timeout needs.
/// </remarks>
public sealed class ReplayBuffer
{
    internal readonly ObservationRows ObservationStore;
    internal readonly ObservationRows? NextObservationStore;
    internal readonly float[] ActionStore;
    internal readonly float[] RewardStore;
    internal readonly float[] DoneStore;
    internal readonly float[] TimeoutStore;
    private float[]? _nextObservationScratch;

    /// <summary>Creates an empty buffer.</summary>
    public ReplayBuffer(ReplayBufferOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RequirePositive(options.BufferSize, "buffer_size");
        RequirePositive(options.NumEnvs, "n_envs");
        RequirePositive(options.ObservationSize, "observation size");
        RequirePositive(options.ActionSize, "action size");
        if (options.OptimizeMemoryUsage && options.HandleTimeoutTermination)
            throw new ArgumentException(
                "ReplayBuffer: optimize_memory_usage = true and handle_timeout_termination = true cannot be combined (the terminal observation of a timeout would be overwritten); turn one off.",
                nameof(options));
        Options = options;
        Capacity = Math.Max(options.BufferSize / options.NumEnvs, 1);
        if (options.OptimizeMemoryUsage && Capacity < 2)
            throw new ArgumentException(
                $"ReplayBuffer: optimize_memory_usage needs at least 2 slots per environment; buffer_size {options.BufferSize} with n_envs {options.NumEnvs} gives {Capacity}.",
                nameof(options));
        long elements = (long)Capacity * options.NumEnvs * options.ActionSize;
        if (elements > Array.MaxLength)
            throw new ArgumentException($"ReplayBuffer: {elements} action floats exceed the largest possible array; lower buffer_size.", nameof(options));
        int rows = Capacity * options.NumEnvs;
        ObservationStore = ObservationRows.Create(rows, options.ObservationSize, options.ByteObservations);
        NextObservationStore = options.OptimizeMemoryUsage ? null : ObservationRows.Create(rows, options.ObservationSize, options.ByteObservations);
        ActionStore = new float[rows * options.ActionSize];
        RewardStore = new float[rows];
        DoneStore = new float[rows];
        TimeoutStore = new float[rows];
    }

    /// <summary>The configuration.</summary>
    public ReplayBufferOptions Options { get; }

    /// <summary>Slots per environment (SB3's adjusted <c>buffer_size</c>).</summary>
    public int Capacity { get; }

    /// <summary>Number of environments.</summary>
    public int NumEnvs => Options.NumEnvs;

    /// <summary>Floats per observation.</summary>
    public int ObservationSize => Options.ObservationSize;

    /// <summary>Floats per action.</summary>
    public int ActionSize => Options.ActionSize;

    /// <summary>The slot the next <see cref="Add(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{bool}, ReadOnlySpan{bool})"/> writes.</summary>
    public int Position { get; internal set; }

    /// <summary>True once every slot was written (the buffer then overwrites the oldest).</summary>
    public bool IsFull { get; internal set; }

    /// <summary>Transitions stored, over all environments.</summary>
    public int Count => (IsFull ? Capacity : Position) * NumEnvs;

    /// <summary>Forgets every transition.</summary>
    public void Reset()
    {
        Position = 0;
        IsFull = false;
    }

    /// <summary>Stores one vector step of transitions, one row per environment.</summary>
    /// <param name="observations">Observations the actions were taken from, <c>[NumEnvs × ObservationSize]</c>.</param>
    /// <param name="nextObservations">Observations after the step; for an ended episode, its terminal observation.</param>
    /// <param name="actions">Actions, <c>[NumEnvs × ActionSize]</c>.</param>
    /// <param name="rewards">Rewards.</param>
    /// <param name="terminated">Whether each episode terminated.</param>
    /// <param name="truncated">Whether each episode was truncated.</param>
    public void Add(ReadOnlySpan<float> observations, ReadOnlySpan<float> nextObservations, ReadOnlySpan<float> actions,
        ReadOnlySpan<float> rewards, ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated)
    {
        int obsSize = ObservationSize;
        RequireLength(observations, NumEnvs * obsSize, nameof(observations));
        RequireLength(nextObservations, NumEnvs * obsSize, nameof(nextObservations));
        RequireLength(actions, NumEnvs * ActionSize, nameof(actions));
        RequireLength(rewards, NumEnvs, nameof(rewards));
        RequireLength(terminated, NumEnvs, nameof(terminated));
        RequireLength(truncated, NumEnvs, nameof(truncated));

        int row = Position * NumEnvs;
        ObservationStore.Write(row, observations);
        if (NextObservationStore is null)
            ObservationStore.Write((Position + 1) % Capacity * NumEnvs, nextObservations);
        else
            NextObservationStore.Write(row, nextObservations);
        actions.CopyTo(ActionStore.AsSpan(row * ActionSize));
        rewards.CopyTo(RewardStore.AsSpan(row));
        for (int e = 0; e < NumEnvs; e++)
        {
            DoneStore[row + e] = terminated[e] || truncated[e] ? 1f : 0f;
            // Gymnasium's TimeLimit.truncated: cut by the limit, not ended by the MDP.
            TimeoutStore[row + e] = Options.HandleTimeoutTermination && truncated[e] && !terminated[e] ? 1f : 0f;
        }

        Position++;
        if (Position == Capacity)
        {
            IsFull = true;
            Position = 0;
        }
    }

    /// <summary>
    /// Stores the vector step <paramref name="env"/> just took from <paramref name="observations"/> with <paramref name="actions"/>,
    /// using its terminal observations as next observations of the episodes that ended (SB3's <c>_store_transition</c>).
    /// </summary>
    public void Add(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, IVectorEnv env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (env.NumEnvs != NumEnvs)
            throw new ArgumentException($"ReplayBuffer: the vector env has {env.NumEnvs} environments; the buffer was made for {NumEnvs}.", nameof(env));
        int obsSize = ObservationSize;
        _nextObservationScratch ??= new float[NumEnvs * obsSize];
        var next = _nextObservationScratch;
        env.Observations.AsSpan(0, next.Length).CopyTo(next);
        for (int e = 0; e < NumEnvs; e++)
        {
            if (env.Terminated[e] || env.Truncated[e])
                env.TerminalObservations.AsSpan(e * obsSize, obsSize).CopyTo(next.AsSpan(e * obsSize));
        }
        Add(observations, next, actions, env.Rewards, env.Terminated, env.Truncated);
    }

    /// <summary>Fills <paramref name="batch"/> with transitions drawn uniformly (with replacement) using <paramref name="random"/>.</summary>
    public void Sample(ReplayBatch batch, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(random);
        if (batch.ObservationSize != ObservationSize || batch.ActionSize != ActionSize)
            throw new ArgumentException(
                $"ReplayBuffer: the batch holds observations of {batch.ObservationSize} and actions of {batch.ActionSize} floats; the buffer has {ObservationSize} and {ActionSize}.",
                nameof(batch));
        if (Count == 0) throw new InvalidOperationException("ReplayBuffer: cannot sample from an empty buffer.");
        bool optimize = Options.OptimizeMemoryUsage;

        int obsSize = ObservationSize;
        for (int k = 0; k < batch.BatchSize; k++)
        {
            int slot;
            if (optimize && IsFull)
                slot = (random.NextInt(Capacity - 1) + 1 + Position) % Capacity; // never the slot at the write position
            else
                slot = random.NextInt(IsFull ? Capacity : Position);
            int env = random.NextInt(NumEnvs);
            int row = slot * NumEnvs + env;

            ObservationStore.ReadRow(row, batch.Observations.AsSpan(k * obsSize, obsSize));
            var next = batch.NextObservations.AsSpan(k * obsSize, obsSize);
            if (NextObservationStore is null) ObservationStore.ReadRow((slot + 1) % Capacity * NumEnvs + env, next);
            else NextObservationStore.ReadRow(row, next);
            ActionStore.AsSpan(row * ActionSize, ActionSize).CopyTo(batch.Actions.AsSpan(k * ActionSize));
            batch.Rewards[k] = RewardStore[row];
            batch.Dones[k] = DoneStore[row] * (1f - TimeoutStore[row]);
        }
    }

    /// <summary>Writes the whole buffer (configuration, position and stored rows) to <paramref name="stream"/> in a versioned, checksummed binary format.</summary>
    public void Save(Stream stream) => ReplayBufferFormat.Write(this, stream);

    /// <summary>Replaces this buffer's contents with a buffer saved by <see cref="Save"/>; its configuration must equal this one's.</summary>
    public void Restore(Stream stream) => ReplayBufferFormat.ReadInto(this, stream);

    /// <summary>Reads a buffer saved by <see cref="Save"/>.</summary>
    public static ReplayBuffer Load(Stream stream) => ReplayBufferFormat.Read(stream);

    private static void RequirePositive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(nameof(ReplayBufferOptions), value, $"ReplayBuffer: {name} must be positive, got {value}.");
    }

    private static void RequireLength<T>(ReadOnlySpan<T> span, int expected, string name)
    {
        if (span.Length != expected)
            throw new ArgumentException($"ReplayBuffer: {name} has {span.Length} elements; expected {expected}.", name);
    }
}
