using Research.Abstractions.Spaces;

namespace Research.Rl.Wrappers.Images;

/// <summary>The checks and spaces the image wrappers share.</summary>
internal static class ImageSpaces
{
    /// <summary>A uint8 Box of pixels 0…255 with <paramref name="shape"/>.</summary>
    public static Box Pixels(int[] shape) => new(0, 255, shape, "uint8");

    /// <summary>Returns <paramref name="space"/> as a uint8 Box, or throws naming the wrapper, the space and <paramref name="expected"/>.</summary>
    public static Box RequireImage(Space space, string wrapper, string expected) =>
        space is Box { DType: "uint8" } box
            ? box
            : throw new ArgumentException($"{wrapper}: observation space {space} is not supported; expected {expected}.");
}
