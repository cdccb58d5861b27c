using Research.Abstractions.Environments;

namespace Research.Rl.Rendering;

/// <summary>An RGB colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>White, the background of every scene.</summary>
    public static readonly Rgb White = new(255, 255, 255);

    /// <summary>Black.</summary>
    public static readonly Rgb Black = new(0, 0, 0);
}

/// <summary>A small software rasterizer with Gymnasium's drawing convention: x to the right, y upwards from the bottom row.</summary>
/// <remarks>Gymnasium draws into a pygame surface and flips it vertically; drawing with y upwards gives the same picture without the flip.
/// Shapes are filled by sampling pixel centres (no anti-aliasing), which keeps frames to a few exact colours that GIF palettes hold losslessly.</remarks>
public sealed class Canvas
{
    private readonly byte[] _pixels;

    /// <summary>Creates a white canvas.</summary>
    public Canvas(int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"Canvas: size {width}x{height} must be positive.");
        Width = width;
        Height = height;
        _pixels = new byte[width * height * 3];
        _pixels.AsSpan().Fill(255);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Fills a simple polygon (even-odd rule) given by its corners.</summary>
    public void FillPolygon(ReadOnlySpan<(double X, double Y)> corners, Rgb color)
    {
        if (corners.Length < 3) throw new ArgumentException($"Canvas.FillPolygon: a polygon needs at least 3 corners, got {corners.Length}.");
        double minY = double.MaxValue, maxY = double.MinValue;
        foreach (var (_, y) in corners)
        {
            minY = Math.Min(minY, y);
            maxY = Math.Max(maxY, y);
        }
        Span<double> crossings = stackalloc double[corners.Length];
        int firstRow = Math.Max(0, (int)Math.Ceiling(minY - 0.5));
        int lastRow = Math.Min(Height - 1, (int)Math.Floor(maxY - 0.5));
        for (int row = firstRow; row <= lastRow; row++)
        {
            double yc = row + 0.5;
            int count = 0;
            for (int i = 0; i < corners.Length; i++)
            {
                var (x0, y0) = corners[i];
                var (x1, y1) = corners[(i + 1) % corners.Length];
                if ((y0 <= yc) != (y1 <= yc)) crossings[count++] = x0 + (yc - y0) / (y1 - y0) * (x1 - x0);
            }
            crossings[..count].Sort();
            for (int i = 0; i + 1 < count; i += 2)
                FillSpan(row, (int)Math.Ceiling(crossings[i] - 0.5), (int)Math.Ceiling(crossings[i + 1] - 0.5) - 1, color);
        }
    }

    /// <summary>Fills the disc of pixels within <paramref name="radius"/> of the centre.</summary>
    public void FillCircle(double centerX, double centerY, double radius, Rgb color)
    {
        int firstRow = Math.Max(0, (int)Math.Ceiling(centerY - radius - 0.5));
        int lastRow = Math.Min(Height - 1, (int)Math.Floor(centerY + radius - 0.5));
        for (int row = firstRow; row <= lastRow; row++)
        {
            double dy = row + 0.5 - centerY;
            double half = Math.Sqrt(Math.Max(0, radius * radius - dy * dy));
            FillSpan(row, (int)Math.Ceiling(centerX - half - 0.5), (int)Math.Floor(centerX + half - 0.5), color);
        }
    }

    /// <summary>Draws a one-pixel line between two points.</summary>
    public void DrawLine(double x0, double y0, double x1, double y1, Rgb color)
    {
        int steps = (int)Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)));
        int divisor = Math.Max(steps, 1);
        for (int i = 0; i <= steps; i++)
            SetPixel((int)Math.Floor(x0 + (x1 - x0) * i / divisor), (int)Math.Floor(y0 + (y1 - y0) * i / divisor), color);
    }

    /// <summary>Draws one-pixel lines through consecutive points.</summary>
    public void DrawPolyline(ReadOnlySpan<(double X, double Y)> points, Rgb color)
    {
        for (int i = 0; i + 1 < points.Length; i++) DrawLine(points[i].X, points[i].Y, points[i + 1].X, points[i + 1].Y, color);
    }

    /// <summary>Paints every pixel with <paramref name="color"/>.</summary>
    public void Clear(Rgb color) => FillPattern(_pixels, color);

    /// <summary>Fills the axis-aligned rectangle [x0, x1] × [y0, y1] (pixel centres inside it).</summary>
    public void FillRectangle(double x0, double y0, double x1, double y1, Rgb color)
    {
        int firstRow = Math.Max(0, (int)Math.Ceiling(Math.Min(y0, y1) - 0.5)), lastRow = Math.Min(Height - 1, (int)Math.Floor(Math.Max(y0, y1) - 0.5));
        int first = (int)Math.Ceiling(Math.Min(x0, x1) - 0.5), last = (int)Math.Floor(Math.Max(x0, x1) - 0.5);
        if (first > last) return;
        for (int row = firstRow; row <= lastRow; row++) FillSpan(row, first, last, color);
    }

    /// <summary>The picture as a frame, top row first.</summary>
    public RgbFrame ToFrame() => ToFrame(1);

    /// <summary>The picture shrunk by <paramref name="factor"/> in both directions (each pixel the rounded mean of a factor×factor block), top row first.</summary>
    public RgbFrame ToFrame(int factor)
    {
        CheckFactor(factor);
        var pixels = new byte[Width / factor * (Height / factor) * 3];
        Shrink(factor, pixels.AsSpan(), null);
        return new RgbFrame(Width / factor, Height / factor, pixels);
    }

    /// <summary>Writes the picture shrunk by <paramref name="factor"/> as height × width × 3 channel values 0–255, top row first (an image observation).</summary>
    public void WriteShrunk(int factor, Span<float> destination)
    {
        CheckFactor(factor);
        int size = Width / factor * (Height / factor) * 3;
        if (destination.Length != size) throw new ArgumentException($"Canvas.WriteShrunk: the destination has {destination.Length} values; expected {size}.", nameof(destination));
        Shrink(factor, default, destination);
    }

    private unsafe void Shrink(int factor, Span<byte> bytes, Span<float> floats)
    {
        int width = Width / factor, height = Height / factor, stride = Width * 3;
        fixed (byte* pixels = _pixels)
        fixed (byte* byteOut = bytes)
        fixed (float* floatOut = floats)
            for (int row = 0; row < height; row++)
            {
                // Canvas rows run bottom-up; output rows top-down.
                byte* block = pixels + (height - 1 - row) * factor * stride;
                int i = row * width * 3;
                for (int column = 0; column < width; column++, block += 3 * factor)
                    for (int channel = 0; channel < 3; channel++, i++)
                    {
                        byte* p = block + channel;
                        // The 2×2 case (image observations drawn at twice their size) is spelled out: 4× faster than the loops.
                        int value = factor == 2 ? (p[0] + p[3] + p[stride] + p[stride + 3] + 2) >> 2 : BlockMean(p, factor, stride);
                        if (floatOut != null) floatOut[i] = value;
                        else byteOut[i] = (byte)value;
                    }
            }
    }

    private static unsafe int BlockMean(byte* block, int factor, int stride)
    {
        int sum = 0, area = factor * factor;
        for (int dy = 0; dy < factor; dy++, block += stride)
            for (int dx = 0; dx < factor; dx++) sum += block[dx * 3];
        return (sum + area / 2) / area;
    }

    private static unsafe int BlockMean(byte* block, int factor, int stride, int area)
    {
        int sum = 0;
        for (int dy = 0; dy < factor; dy++, block += stride)
            for (int dx = 0; dx < factor; dx++) sum += block[dx * 3];
        return (sum + area / 2) / area;
    }

    private void CheckFactor(int factor)
    {
        if (factor < 1 || Width % factor != 0 || Height % factor != 0)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"Canvas: a {Width}x{Height} picture cannot be shrunk by {factor}; expected a divisor of both sides.");
    }

    private void SetPixel(int x, int y, Rgb color)
    {
        if ((uint)x < (uint)Width && (uint)y < (uint)Height) FillSpan(y, x, x, color);
    }

    private void FillSpan(int row, int first, int last, Rgb color)
    {
        first = Math.Max(first, 0);
        last = Math.Min(last, Width - 1);
        if (first > last) return;
        FillPattern(_pixels.AsSpan((row * Width + first) * 3, (last - first + 1) * 3), color);
    }

    // Doubling copies: a long run of pixels costs a few memory copies instead of a loop over them.
    private static void FillPattern(Span<byte> span, Rgb color)
    {
        span[0] = color.R;
        span[1] = color.G;
        span[2] = color.B;
        for (int filled = 3; filled < span.Length; filled *= 2) span[..Math.Min(filled, span.Length - filled)].CopyTo(span[filled..]);
    }
}
