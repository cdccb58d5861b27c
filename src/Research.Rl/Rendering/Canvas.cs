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

    /// <summary>The picture as a frame, top row first.</summary>
    public RgbFrame ToFrame()
    {
        var pixels = new byte[_pixels.Length];
        int stride = Width * 3;
        for (int row = 0; row < Height; row++)
            _pixels.AsSpan(row * stride, stride).CopyTo(pixels.AsSpan((Height - 1 - row) * stride, stride));
        return new RgbFrame(Width, Height, pixels);
    }

    private void SetPixel(int x, int y, Rgb color)
    {
        if ((uint)x < (uint)Width && (uint)y < (uint)Height) FillSpan(y, x, x, color);
    }

    private void FillSpan(int row, int first, int last, Rgb color)
    {
        first = Math.Max(first, 0);
        last = Math.Min(last, Width - 1);
        int offset = (row * Width + first) * 3;
        for (int x = first; x <= last; x++, offset += 3)
        {
            _pixels[offset] = color.R;
            _pixels[offset + 1] = color.G;
            _pixels[offset + 2] = color.B;
        }
    }
}
