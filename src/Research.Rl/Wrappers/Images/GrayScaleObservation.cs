using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Rl.Wrappers.Images;

/// <summary>
/// Turns RGB image observations (a uint8 Box of shape H × W × 3) into luma (Gymnasium's <c>GrayScaleObservation</c>):
/// shape H × W, or H × W × 1 with <c>keepDim</c>; pixels as OpenCV's <c>COLOR_RGB2GRAY</c> (<see cref="GrayScale"/>).
/// </summary>
public sealed class GrayScaleObservation(IEnv inner, bool keepDim = false)
    : TransformObservation(inner, GrayScale.FromRgb, GraySpace(inner.ObservationSpace, keepDim))
{
    private static Box GraySpace(Space space, bool keepDim)
    {
        var box = ImageSpaces.RequireImage(space, nameof(GrayScaleObservation), "an RGB image: a uint8 Box of shape (height, width, 3)");
        if (box.Shape is not [var height, var width, 3])
            throw new ArgumentException($"{nameof(GrayScaleObservation)}: observation space {space} is not supported; expected an RGB image: a uint8 Box of shape (height, width, 3).");
        return ImageSpaces.Pixels(keepDim ? [height, width, 1] : [height, width]);
    }
}
