namespace Research.Tensors.Nn;

/// <summary>2-D convolution with weight [out, in, k, k], initialised as PyTorch's <c>nn.Conv2d</c>.</summary>
public sealed class Conv2d : Layer
{
    /// <summary>A layer with fresh parameters drawn from <paramref name="generator"/>.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Generator generator, int stride = 1, int padding = 0, bool bias = true)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), $"Conv2d sizes must be positive, got in {inChannels}, out {outChannels}, kernel {kernelSize}.");
        Stride = stride;
        Padding = padding;
        Weight = RegisterParameter("weight", Tensor.PersistentZeros(outChannels, inChannels, kernelSize, kernelSize));
        Init.KaimingUniform(Weight, generator, a: MathF.Sqrt(5f));
        if (bias)
        {
            Bias = RegisterParameter("bias", Tensor.PersistentZeros(outChannels));
            float bound = 1f / MathF.Sqrt(inChannels * kernelSize * kernelSize);
            Init.Uniform(Bias, generator, -bound, bound);
        }
    }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>Zeros added on each border.</summary>
    public int Padding { get; }

    /// <summary>[out, in, k, k].</summary>
    public Tensor Weight { get; }

    /// <summary>[out], or null without bias.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Tensor.Conv2d(input, Weight, Bias, Stride, Padding);
}

/// <summary>Max pooling over square windows.</summary>
public sealed class MaxPool2d(int kernelSize, int stride = 0, int padding = 0) : Layer
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Tensor.MaxPool2d(input, kernelSize, stride, padding);
}

/// <summary>Flattens dimensions from <paramref name="startDim"/> on (PyTorch's <c>nn.Flatten</c>, default from 1).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Layer
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Flatten(startDim, endDim);
}
