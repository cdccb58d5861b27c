namespace Research.Tensors.Kernels;

/// <summary>Sizes of one convolution: input, kernel, stride, padding and the output they give.</summary>
internal readonly record struct ConvGeometry
{
    public ConvGeometry(Tensor input, Tensor weight, int stride, int padding)
    {
        Batch = input.Shape[0];
        Channels = input.Shape[1];
        Height = input.Shape[2];
        Width = input.Shape[3];
        OutChannels = weight.Shape[0];
        KernelHeight = weight.Shape[2];
        KernelWidth = weight.Shape[3];
        Stride = stride;
        Padding = padding;
        OutHeight = (Height + 2 * padding - KernelHeight) / stride + 1;
        OutWidth = (Width + 2 * padding - KernelWidth) / stride + 1;
    }

    public int Batch { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int OutChannels { get; }
    public int KernelHeight { get; }
    public int KernelWidth { get; }
    public int Stride { get; }
    public int Padding { get; }
    public int OutHeight { get; }
    public int OutWidth { get; }
    public int Spatial => OutHeight * OutWidth;
    public int PatchSize => Channels * KernelHeight * KernelWidth;
    public int Columns => Batch * Spatial;
}

/// <summary>Unfolds image patches into the columns of a matrix, and folds column gradients back into images.</summary>
internal static class Im2Col
{
    /// <summary>col[(c·kH + ki)·kW + kj, n·OH·OW + oh·OW + ow] = x[n, c, oh·s + ki − p, ow·s + kj − p] (0 outside).</summary>
    public static void Unfold(Tensor x, ConvGeometry g, Tensor col)
    {
        var src = x.Storage;
        int srcOffset = x.Offset;
        var dst = col.AsSpan();
        for (int row = 0; row < g.PatchSize; row++)
        {
            int c = row / (g.KernelHeight * g.KernelWidth), ki = row / g.KernelWidth % g.KernelHeight, kj = row % g.KernelWidth;
            var outRow = dst.Slice(row * g.Columns, g.Columns);
            for (int n = 0; n < g.Batch; n++)
            {
                int plane = srcOffset + (n * g.Channels + c) * g.Height * g.Width;
                for (int oh = 0; oh < g.OutHeight; oh++)
                {
                    int ih = oh * g.Stride + ki - g.Padding;
                    var segment = outRow.Slice(n * g.Spatial + oh * g.OutWidth, g.OutWidth);
                    if ((uint)ih >= (uint)g.Height)
                    {
                        segment.Clear();
                        continue;
                    }
                    int line = plane + ih * g.Width;
                    for (int ow = 0; ow < g.OutWidth; ow++)
                    {
                        int iw = ow * g.Stride + kj - g.Padding;
                        segment[ow] = (uint)iw < (uint)g.Width ? src[line + iw] : 0f;
                    }
                }
            }
        }
    }

    /// <summary>dx += the sum, over every patch an input pixel took part in, of its column gradient.</summary>
    public static void FoldAdd(Tensor gcol, ConvGeometry g, Tensor dx)
    {
        ReadOnlySpan<float> src = gcol.AsSpan();
        var dst = dx.AsSpan();
        for (int row = 0; row < g.PatchSize; row++)
        {
            int c = row / (g.KernelHeight * g.KernelWidth), ki = row / g.KernelWidth % g.KernelHeight, kj = row % g.KernelWidth;
            var inRow = src.Slice(row * g.Columns, g.Columns);
            for (int n = 0; n < g.Batch; n++)
            {
                int plane = (n * g.Channels + c) * g.Height * g.Width;
                for (int oh = 0; oh < g.OutHeight; oh++)
                {
                    int ih = oh * g.Stride + ki - g.Padding;
                    if ((uint)ih >= (uint)g.Height) continue;
                    var segment = inRow.Slice(n * g.Spatial + oh * g.OutWidth, g.OutWidth);
                    int line = plane + ih * g.Width;
                    for (int ow = 0; ow < g.OutWidth; ow++)
                    {
                        int iw = ow * g.Stride + kj - g.Padding;
                        if ((uint)iw < (uint)g.Width) dst[line + iw] += segment[ow];
                    }
                }
            }
        }
    }
}
