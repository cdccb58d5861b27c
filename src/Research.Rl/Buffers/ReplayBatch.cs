namespace Research.Rl.Buffers;

/// <summary>Caller-owned storage for one sampled batch of transitions, filled by <see cref="ReplayBuffer.Sample"/>; reuse it.</summary>
public sealed class ReplayBatch
{
    /// <summary>Allocates a batch of <paramref name="batchSize"/> transitions.</summary>
    public ReplayBatch(int batchSize, int observationSize, int actionSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "ReplayBatch: batch size must be positive.");
        if (observationSize <= 0) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "ReplayBatch: observation size must be positive.");
        if (actionSize <= 0) throw new ArgumentOutOfRangeException(nameof(actionSize), actionSize, "ReplayBatch: action size must be positive.");
        BatchSize = batchSize;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        Observations = new float[batchSize * observationSize];
        NextObservations = new float[batchSize * observationSize];
        Actions = new float[batchSize * actionSize];
        Rewards = new float[batchSize];
        Dones = new float[batchSize];
    }

    /// <summary>Transitions per sample.</summary>
    public int BatchSize { get; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Floats per action.</summary>
    public int ActionSize { get; }

    /// <summary>Observations, <c>[BatchSize × ObservationSize]</c>.</summary>
    public float[] Observations { get; }

    /// <summary>Next observations (the terminal observation when the episode ended there).</summary>
    public float[] NextObservations { get; }

    /// <summary>Actions, <c>[BatchSize × ActionSize]</c>.</summary>
    public float[] Actions { get; }

    /// <summary>Rewards.</summary>
    public float[] Rewards { get; }

    /// <summary>1 when the target must not bootstrap (terminated; or truncated when timeouts are not handled), else 0.</summary>
    public float[] Dones { get; }
}
