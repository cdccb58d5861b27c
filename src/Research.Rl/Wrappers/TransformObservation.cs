using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Rl.Wrappers;

/// <summary>Writes the transformed form of <paramref name="observation"/> into <paramref name="destination"/>.</summary>
public delegate void ObservationTransform(ReadOnlySpan<float> observation, Span<float> destination);

/// <summary>Applies a function to every observation (Gymnasium's <c>TransformObservation</c>).</summary>
public class TransformObservation : EnvWrapper
{
    private readonly ObservationTransform _transform;
    private readonly float[] _raw;

    /// <summary>Transforms observations with <paramref name="transform"/>; <paramref name="observationSpace"/> is the new space (the inner one when null).</summary>
    public TransformObservation(IEnv inner, ObservationTransform transform, Space? observationSpace = null) : base(inner)
    {
        _transform = transform;
        ObservationSpace = observationSpace ?? inner.ObservationSpace;
        _raw = new float[inner.ObservationSpace.FlatSize];
    }

    public override Space ObservationSpace { get; }

    public override void Reset(Span<float> observation, int? seed = null)
    {
        Inner.Reset(_raw, seed);
        _transform(_raw, observation);
    }

    public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        var outcome = Inner.Step(action, _raw);
        _transform(_raw, observation);
        return outcome;
    }
}
