using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.Wrappers.Images;

namespace Research.Rl.Wrappers.Atari;

/// <summary>
/// Turns RGB frames into <c>height × width × 1</c> luma by OpenCV's <c>COLOR_RGB2GRAY</c> and <c>INTER_AREA</c> resize
/// (Stable-Baselines' <c>WarpFrame</c>, 84 × 84 by default; see <see cref="GrayScale"/> and <see cref="AreaResize"/>).
/// </summary>
public sealed class WarpFrame : TransformObservation
{
    /// <summary>Wraps an env with uint8 RGB observations (height × width × 3).</summary>
    public WarpFrame(IEnv inner, int width = 84, int height = 84) : this(inner, Plan(inner.ObservationSpace, width, height)) { }

    private WarpFrame(IEnv inner, (ObservationTransform Transform, Box Space) plan) : base(inner, plan.Transform, plan.Space) { }

    private static (ObservationTransform, Box) Plan(Space space, int width, int height)
    {
        if (space is not Box { DType: "uint8", Shape: [var h, var w, 3] } box)
            throw new ArgumentException($"WarpFrame: observation space {space} is not supported; expected RGB frames: a uint8 Box of shape (height, width, 3).");
        var gray = new float[h * w];
        var resize = new AreaResize(h, w, height, width, 1);
        void Warp(ReadOnlySpan<float> rgb, Span<float> destination)
        {
            GrayScale.FromRgb(rgb, gray);
            resize.Apply(gray, destination);
        }
        return (Warp, new Box(0, 255, [height, width, 1], box.DType));
    }
}
