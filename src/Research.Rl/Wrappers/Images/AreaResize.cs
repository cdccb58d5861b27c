namespace Research.Rl.Wrappers.Images;

/// <summary>
/// Shrinks 8-bit images (height × width × channels, the flat encoding's floats holding 0…255) by pixel-area averaging,
/// with the arithmetic of OpenCV's <c>cv::resize(…, INTER_AREA)</c>, so frames match what Stable-Baselines' <c>WarpFrame</c>
/// and Gymnasium's <c>ResizeObservation</c> produce.
/// </summary>
/// <remarks>
/// Three routes, chosen as OpenCV chooses them: equal sizes copy; whole-number scales on both axes average k×k blocks
/// (2×2 in integers rounding half up, other blocks as a float mean rounded half to even); any other shrink weights every
/// source pixel by its overlap with the destination pixel, first along rows, then across them, in float32 (OpenCV's
/// <c>computeResizeAreaTab</c> weights, computed in double and stored as float). Growing either axis is refused: OpenCV's
/// INTER_AREA then switches to a bilinear variant that image pipelines for RL do not use. The tables and scratch rows are
/// built once, so <see cref="Apply"/> allocates nothing.
/// </remarks>
public sealed class AreaResize
{
    private const double DblEpsilon = 2.220446049250313e-16;

    private readonly int _srcHeight, _srcWidth, _dstHeight, _dstWidth, _channels;
    private readonly int _blockX, _blockY;
    private readonly Weight[] _xTable = [];
    private readonly Weight[] _yTable = [];
    private readonly float[] _rowBuffer = [];
    private readonly float[] _rowSum = [];

    /// <summary>Prepares a resize from <paramref name="srcHeight"/>×<paramref name="srcWidth"/> to <paramref name="dstHeight"/>×<paramref name="dstWidth"/> with <paramref name="channels"/> interleaved channels.</summary>
    public AreaResize(int srcHeight, int srcWidth, int dstHeight, int dstWidth, int channels)
    {
        if (srcHeight <= 0 || srcWidth <= 0 || dstHeight <= 0 || dstWidth <= 0 || channels <= 0)
            throw new ArgumentException($"AreaResize: sizes must be positive, got {srcHeight}×{srcWidth}×{channels} to {dstHeight}×{dstWidth}.");
        if (dstHeight > srcHeight || dstWidth > srcWidth)
            throw new ArgumentException(
                $"AreaResize: {srcHeight}×{srcWidth} to {dstHeight}×{dstWidth} enlarges the image; area interpolation only shrinks (OpenCV's INTER_AREA turns bilinear when enlarging).");
        (_srcHeight, _srcWidth, _dstHeight, _dstWidth, _channels) = (srcHeight, srcWidth, dstHeight, dstWidth, channels);
        // OpenCV's scale is 1 / (dsize / ssize), both in double; a whole number within DBL_EPSILON takes the block route.
        double scaleX = 1.0 / ((double)dstWidth / srcWidth), scaleY = 1.0 / ((double)dstHeight / srcHeight);
        int wholeX = (int)Math.Round(scaleX), wholeY = (int)Math.Round(scaleY);
        if (Math.Abs(scaleX - wholeX) < DblEpsilon && Math.Abs(scaleY - wholeY) < DblEpsilon)
        {
            (_blockX, _blockY) = (wholeX, wholeY);
            return;
        }
        _xTable = Weights(srcWidth, dstWidth, scaleX);
        _yTable = Weights(srcHeight, dstHeight, scaleY);
        _rowBuffer = new float[dstWidth * channels];
        _rowSum = new float[dstWidth * channels];
    }

    /// <summary>Values per source image.</summary>
    public int SourceSize => _srcHeight * _srcWidth * _channels;

    /// <summary>Values per resized image.</summary>
    public int DestinationSize => _dstHeight * _dstWidth * _channels;

    /// <summary>Writes the resized <paramref name="source"/> into <paramref name="destination"/>; not thread-safe (one scratch row per instance).</summary>
    public void Apply(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (source.Length != SourceSize || destination.Length != DestinationSize)
            throw new ArgumentException(
                $"AreaResize: expected {SourceSize} source and {DestinationSize} destination values, got {source.Length} and {destination.Length}.");
        if (_srcHeight == _dstHeight && _srcWidth == _dstWidth) source.CopyTo(destination);
        else if (_blockX > 0 && _blockX == 2 && _blockY == 2 && _channels is 1 or 3 or 4) HalveBlocks(source, destination);
        else if (_blockX > 0) AverageBlocks(source, destination);
        else WeightedAreas(source, destination);
    }

    // OpenCV's vectorised 2×2 route for 1, 3 and 4 channels: an integer mean rounded half up.
    private void HalveBlocks(ReadOnlySpan<float> source, Span<float> destination)
    {
        int c = _channels, srcRow = _srcWidth * c, dstRow = _dstWidth * c;
        for (int y = 0; y < _dstHeight; y++)
        {
            var top = source.Slice(2 * y * srcRow, srcRow);
            var bottom = source.Slice((2 * y + 1) * srcRow, srcRow);
            var output = destination.Slice(y * dstRow, dstRow);
            for (int x = 0; x < _dstWidth; x++)
                for (int k = 0; k < c; k++)
                {
                    int left = 2 * x * c + k, right = left + c;
                    output[x * c + k] = ((int)top[left] + (int)top[right] + (int)bottom[left] + (int)bottom[right] + 2) >> 2;
                }
        }
    }

    // OpenCV's generic whole-number route: an integer sum times the float 1/area, rounded half to even.
    private void AverageBlocks(ReadOnlySpan<float> source, Span<float> destination)
    {
        int c = _channels, srcRow = _srcWidth * c;
        float scale = 1f / (_blockX * _blockY);
        for (int y = 0; y < _dstHeight; y++)
            for (int x = 0; x < _dstWidth; x++)
                for (int k = 0; k < c; k++)
                {
                    int sum = 0;
                    for (int dy = 0; dy < _blockY; dy++)
                    {
                        int row = (y * _blockY + dy) * srcRow;
                        for (int dx = 0; dx < _blockX; dx++) sum += (int)source[row + (x * _blockX + dx) * c + k];
                    }
                    destination[(y * _dstWidth + x) * c + k] = Saturate(sum * scale);
                }
    }

    // OpenCV's resizeArea: each source row is spread over destination columns (buffer), then added into the destination
    // row with its vertical weight; a destination row is written when the table moves on to the next one.
    private void WeightedAreas(ReadOnlySpan<float> source, Span<float> destination)
    {
        int c = _channels, srcRow = _srcWidth * c, dstRow = _dstWidth * c;
        var buffer = _rowBuffer.AsSpan();
        var sum = _rowSum.AsSpan();
        sum.Clear();
        int previous = _yTable[0].Destination;
        foreach (var (dy, sy, beta) in _yTable)
        {
            var row = source.Slice(sy * srcRow, srcRow);
            buffer.Clear();
            foreach (var (dx, sx, alpha) in _xTable)
                for (int k = 0; k < c; k++)
                    buffer[dx * c + k] += row[sx * c + k] * alpha;
            if (dy != previous)
            {
                var output = destination.Slice(previous * dstRow, dstRow);
                for (int i = 0; i < dstRow; i++)
                {
                    output[i] = Saturate(sum[i]);
                    sum[i] = beta * buffer[i];
                }
                previous = dy;
            }
            else
            {
                for (int i = 0; i < dstRow; i++) sum[i] += beta * buffer[i];
            }
        }
        var last = destination.Slice(previous * dstRow, dstRow);
        for (int i = 0; i < dstRow; i++) last[i] = Saturate(sum[i]);
    }

    // saturate_cast<uchar>(float): round half to even, then clamp to 0…255.
    private static float Saturate(float value) => Math.Clamp(MathF.Round(value), 0f, 255f);

    // OpenCV's computeResizeAreaTab: the source pixels under destination pixel d (source interval [d·scale, (d+1)·scale)),
    // weighted by their overlap divided by the cell's width; partial pixels at either end only above 1e-3.
    private static Weight[] Weights(int sourceSize, int destinationSize, double scale)
    {
        var table = new List<Weight>(2 * sourceSize);
        for (int d = 0; d < destinationSize; d++)
        {
            double start = d * scale, end = start + scale;
            double cellWidth = Math.Min(scale, sourceSize - start);
            int first = (int)Math.Ceiling(start), last = (int)Math.Floor(end);
            last = Math.Min(last, sourceSize - 1);
            first = Math.Min(first, last);
            if (first - start > 1e-3) table.Add(new Weight(d, first - 1, (float)((first - start) / cellWidth)));
            for (int s = first; s < last; s++) table.Add(new Weight(d, s, (float)(1.0 / cellWidth)));
            if (end - last > 1e-3) table.Add(new Weight(d, last, (float)(Math.Min(Math.Min(end - last, 1.0), cellWidth) / cellWidth)));
        }
        return [.. table];
    }

    private readonly record struct Weight(int Destination, int Source, float Alpha);
}
