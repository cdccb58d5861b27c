namespace Research.Abstractions.Experts;

/// <summary>Something that acts in an environment: a controller, a person, a trained model.</summary>
public interface IExpert
{
    /// <summary>Writes the expert's action for <paramref name="observation"/> (flat encodings of the environment's spaces).</summary>
    void Act(ReadOnlySpan<float> observation, Span<float> action);

    /// <summary>Tells the expert a new episode starts (controllers with memory reset here).</summary>
    void Reset() { }
}
