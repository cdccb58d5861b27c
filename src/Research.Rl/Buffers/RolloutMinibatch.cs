namespace Research.Rl.Buffers;

/// <summary>Caller-owned storage for one minibatch of rollout rows, filled by <see cref="RolloutBuffer.Gather"/>; reuse it across batches.</summary>
public sealed class RolloutMinibatch
{
    /// <summary>Allocates room for <paramref name="capacity"/> rows.</summary>
    public RolloutMinibatch(int capacity, int observationSize, int actionSize)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "RolloutMinibatch: capacity must be positive.");
        if (observationSize <= 0) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "RolloutMinibatch: observation size must be positive.");
        if (actionSize <= 0) throw new ArgumentOutOfRangeException(nameof(actionSize), actionSize, "RolloutMinibatch: action size must be positive.");
        Capacity = capacity;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        Observations = new float[capacity * observationSize];
        Actions = new float[capacity * actionSize];
        OldValues = new float[capacity];
        OldLogProbs = new float[capacity];
        Advantages = new float[capacity];
        Returns = new float[capacity];
    }

    /// <summary>Maximum rows.</summary>
    public int Capacity { get; }

    /// <summary>Rows filled by the last gather (the first <see cref="Count"/> rows of each array are valid).</summary>
    public int Count { get; internal set; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Floats per action.</summary>
    public int ActionSize { get; }

    /// <summary>Observations, <c>[Capacity × ObservationSize]</c>.</summary>
    public float[] Observations { get; }

    /// <summary>Actions, <c>[Capacity × ActionSize]</c>.</summary>
    public float[] Actions { get; }

    /// <summary>Value estimates at collection time.</summary>
    public float[] OldValues { get; }

    /// <summary>Log-probabilities at collection time.</summary>
    public float[] OldLogProbs { get; }

    /// <summary>GAE advantages.</summary>
    public float[] Advantages { get; }

    /// <summary>Value targets.</summary>
    public float[] Returns { get; }
}
