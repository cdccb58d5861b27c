using Research.Abstractions.Spaces;
using Research.Tensors;
using Research.Tensors.Nn;

namespace Research.Rl.Policies;

/// <summary>Maps preprocessed observations <c>[batch, inputs]</c> to features <c>[batch, FeaturesDim]</c> (Stable-Baselines' <c>BaseFeaturesExtractor</c>).</summary>
public abstract class FeatureExtractor : Layer
{
    /// <summary>Number of features per observation.</summary>
    public abstract int FeaturesDim { get; }
}

/// <summary>Passes preprocessed observations through unchanged (Stable-Baselines' <c>FlattenExtractor</c>).</summary>
public sealed class FlattenExtractor(int inputSize) : FeatureExtractor
{
    /// <inheritdoc />
    public override int FeaturesDim { get; } = inputSize;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input;
}

/// <summary>The Nature DQN convolutional torso (Mnih et al. 2015) for image observations, as Stable-Baselines' <c>NatureCNN</c>.</summary>
/// <remarks>
/// Takes images flattened from any <see cref="ImageLayout"/>: channel-first <c>(C, H, W)</c>, channel-last <c>(H, W, C)</c>
/// (SB3 transposes those with <c>VecTransposeImage</c> first; here the forward pass does), and frame stacks of either, whose
/// frames become channels oldest first.
/// </remarks>
public sealed class NatureCnn : FeatureExtractor
{
    private readonly ImageLayout _layout;
    private readonly Sequential _cnn;
    private readonly Sequential _linear;

    /// <summary>Builds the network for images of <paramref name="shape"/> (a uint8 image space's shape), drawing weights from <paramref name="generator"/>.</summary>
    public NatureCnn(IReadOnlyList<int> shape, int featuresDim, Generator generator)
    {
        _layout = ImageLayout.Of(new Box(0, 255, [.. shape], "uint8"))
                  ?? throw new ArgumentException($"NatureCnn needs an image shape of rank 3 (or a rank-4 frame stack), got ({string.Join(", ", shape)}).", nameof(shape));
        int channels = _layout.Channels, height = _layout.Height, width = _layout.Width;
        if (height < 36 || width < 36)
            throw new ArgumentException($"NatureCnn needs images of at least 36×36 pixels, got {height}×{width}.", nameof(shape));
        _cnn = RegisterModule("cnn", new Sequential(
            new Conv2d(channels, 32, 8, generator, stride: 4), ActivationLayer.Create(Activation.Relu),
            new Conv2d(32, 64, 4, generator, stride: 2), ActivationLayer.Create(Activation.Relu),
            new Conv2d(64, 64, 3, generator, stride: 1), ActivationLayer.Create(Activation.Relu),
            new Flatten()));
        int h = ((height - 8) / 4 + 1 - 4) / 2 + 1 - 2, w = ((width - 8) / 4 + 1 - 4) / 2 + 1 - 2;
        _linear = RegisterModule("linear", new Sequential(new Linear(64 * h * w, featuresDim, generator), ActivationLayer.Create(Activation.Relu)));
        FeaturesDim = featuresDim;
    }

    /// <inheritdoc />
    public override int FeaturesDim { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        int batch = input.Shape[0];
        var (k, c, h, w) = (_layout.Frames, _layout.FrameChannels, _layout.Height, _layout.Width);
        var images = !_layout.ChannelsLast
            ? input.Reshape(batch, k * c, h, w)
            : k == 1
                ? input.Reshape(batch, h, w, c).Permute(0, 3, 1, 2).Contiguous()
                : input.Reshape(batch, k, h, w, c).Permute(0, 1, 4, 2, 3).Contiguous().Reshape(batch, k * c, h, w);
        return _linear.Forward(_cnn.Forward(images));
    }
}
