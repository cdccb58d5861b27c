namespace Research.Rl.Imitation;

/// <summary>
/// A batch of expert transitions in reusable storage: <see cref="Count"/> rows of observations and actions.
/// The dataset owns it; its contents are valid until the next <see cref="ExpertDataset.GetNextBatch"/> on the same split.
/// </summary>
public sealed class ExpertBatch
{
    internal ExpertBatch(int capacity, int observationSize, int actionSize)
    {
        ObservationBuffer = new float[capacity * observationSize];
        ActionBuffer = new float[capacity * actionSize];
        ObservationSize = observationSize;
        ActionSize = actionSize;
    }

    /// <summary>Rows in this batch.</summary>
    public int Count { get; internal set; }

    /// <summary>Elements per observation row.</summary>
    public int ObservationSize { get; }

    /// <summary>Elements per action row.</summary>
    public int ActionSize { get; }

    /// <summary>The observations, <see cref="Count"/> × <see cref="ObservationSize"/>.</summary>
    public ReadOnlySpan<float> Observations => ObservationBuffer.AsSpan(0, Count * ObservationSize);

    /// <summary>The actions, <see cref="Count"/> × <see cref="ActionSize"/>.</summary>
    public ReadOnlySpan<float> Actions => ActionBuffer.AsSpan(0, Count * ActionSize);

    internal float[] ObservationBuffer { get; }

    internal float[] ActionBuffer { get; }
}
