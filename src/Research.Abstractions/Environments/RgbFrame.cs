namespace Research.Abstractions.Environments;

/// <summary>An RGB image, <c>byte[Height, Width, 3]</c> in row-major order.</summary>
public sealed class RgbFrame
{
    /// <summary>Creates a frame; <paramref name="pixels"/> defaults to black.</summary>
    public RgbFrame(int width, int height, byte[]? pixels = null)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"RgbFrame: size {width}x{height} must be positive.");
        pixels ??= new byte[width * height * 3];
        if (pixels.Length != width * height * 3)
            throw new ArgumentException($"RgbFrame: {pixels.Length} bytes do not make a {width}x{height} RGB frame.");
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Pixels, three bytes (R, G, B) each, row after row from the top.</summary>
    public byte[] Pixels { get; }
}
