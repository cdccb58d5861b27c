using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Rl.Wrappers.Images;

/// <summary>
/// Shrinks image observations (a uint8 Box of shape H × W or H × W × C) to <c>height × width</c> by pixel-area averaging
/// (Gymnasium's <c>ResizeObservation</c>, which calls OpenCV's <c>INTER_AREA</c>; see <see cref="AreaResize"/>).
/// </summary>
public sealed class ResizeObservation : TransformObservation
{
    /// <summary>Resizes the observations of <paramref name="inner"/> to <paramref name="height"/> × <paramref name="width"/>, keeping the channels.</summary>
    public ResizeObservation(IEnv inner, int height, int width) : this(inner, Plan(inner.ObservationSpace, height, width)) { }

    /// <summary>Resizes to a square of side <paramref name="size"/>.</summary>
    public ResizeObservation(IEnv inner, int size) : this(inner, size, size) { }

    private ResizeObservation(IEnv inner, (AreaResize Resize, Box Space) plan)
        : base(inner, plan.Resize.Apply, plan.Space) { }

    private static (AreaResize, Box) Plan(Space space, int height, int width)
    {
        var box = ImageSpaces.RequireImage(space, nameof(ResizeObservation), "an image: a uint8 Box of shape (height, width) or (height, width, channels)");
        if (box.Shape.Count is not (2 or 3))
            throw new ArgumentException($"{nameof(ResizeObservation)}: observation space {space} is not supported; expected an image: a uint8 Box of shape (height, width) or (height, width, channels).");
        if (height <= 0 || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(height), $"{nameof(ResizeObservation)}: the new size must be positive, got {height}×{width}.");
        int channels = box.Shape.Count == 3 ? box.Shape[2] : 1;
        var resize = new AreaResize(box.Shape[0], box.Shape[1], height, width, channels);
        return (resize, ImageSpaces.Pixels(box.Shape.Count == 3 ? [height, width, channels] : [height, width]));
    }
}
