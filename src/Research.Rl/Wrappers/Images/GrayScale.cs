namespace Research.Rl.Wrappers.Images;

/// <summary>RGB to luma as OpenCV's <c>cvtColor(COLOR_RGB2GRAY)</c> computes it for 8-bit images, bit for bit.</summary>
/// <remarks>
/// OpenCV weighs R, G, B by 0.299, 0.587, 0.114 in 14-bit fixed point (4899, 9617, 1868, which sum to 2^14) and rounds
/// half up: <c>(4899·R + 9617·G + 1868·B + 8192) &gt;&gt; 14</c>. Values are the flat encoding's floats holding 0…255.
/// </remarks>
public static class GrayScale
{
    private const int Shift = 14;
    private const int RedWeight = 4899, GreenWeight = 9617, BlueWeight = 1868;

    /// <summary>Writes the luma of each RGB pixel of <paramref name="rgb"/> (<c>pixels × 3</c>) into <paramref name="gray"/> (<c>pixels</c>).</summary>
    public static void FromRgb(ReadOnlySpan<float> rgb, Span<float> gray)
    {
        if (rgb.Length != gray.Length * 3)
            throw new ArgumentException($"GrayScale: {rgb.Length} RGB values do not make {gray.Length} pixels.", nameof(rgb));
        for (int p = 0; p < gray.Length; p++)
        {
            int r = (int)rgb[3 * p], g = (int)rgb[3 * p + 1], b = (int)rgb[3 * p + 2];
            gray[p] = (RedWeight * r + GreenWeight * g + BlueWeight * b + (1 << (Shift - 1))) >> Shift;
        }
    }
}
