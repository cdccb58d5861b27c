using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Rl.Wrappers;

/// <summary>
/// Observes a 1-D Box (Gymnasium's <c>FlattenObservation</c>). A DictSpace of Boxes is already flat in the float
/// encoding, so only the space changes; Discrete and MultiDiscrete parts become one-hot vectors.
/// </summary>
public sealed class FlattenObservation(IEnv inner)
    : TransformObservation(inner, FlattenInto(inner.ObservationSpace), SpaceFlattening.FlattenSpace(inner.ObservationSpace))
{
    private static ObservationTransform FlattenInto(Space space) =>
        (observation, destination) => SpaceFlattening.Flatten(space, observation, destination);
}
