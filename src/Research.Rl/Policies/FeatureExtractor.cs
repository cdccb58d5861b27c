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
/// <remarks>Takes images flattened from channel-first <c>(C, H, W)</c> or channel-last <c>(H, W, C)</c> shapes (channel-last when the last dimension is at most 4 and the first is larger).</remarks>
public sealed class NatureCnn : FeatureExtractor
{
    private readonly int _channels, _height, _width;
    private readonly bool _channelsLast;
    private readonly Sequential _cnn;
    private readonly Sequential _linear;

    /// <summary>Builds the network for images of <paramref name="shape"/>, drawing weights from <paramref name="generator"/>.</summary>
    public NatureCnn(IReadOnlyList<int> shape, int featuresDim, Generator generator)
    {
        if (shape.Count != 3) throw new ArgumentException($"NatureCnn needs an image shape of rank 3, got ({string.Join(", ", shape)}).", nameof(shape));
        _channelsLast = shape[2] <= 4 && shape[0] > 4;
        (_channels, _height, _width) = _channelsLast ? (shape[2], shape[0], shape[1]) : (shape[0], shape[1], shape[2]);
        if (_height < 36 || _width < 36)
            throw new ArgumentException($"NatureCnn needs images of at least 36×36 pixels, got {_height}×{_width}.", nameof(shape));
        _cnn = RegisterModule("cnn", new Sequential(
            new Conv2d(_channels, 32, 8, generator, stride: 4), ActivationLayer.Create(Activation.Relu),
            new Conv2d(32, 64, 4, generator, stride: 2), ActivationLayer.Create(Activation.Relu),
            new Conv2d(64, 64, 3, generator, stride: 1), ActivationLayer.Create(Activation.Relu),
            new Flatten()));
        int h = ((_height - 8) / 4 + 1 - 4) / 2 + 1 - 2, w = ((_width - 8) / 4 + 1 - 4) / 2 + 1 - 2;
        _linear = RegisterModule("linear", new Sequential(new Linear(64 * h * w, featuresDim, generator), ActivationLayer.Create(Activation.Relu)));
        FeaturesDim = featuresDim;
    }

    /// <inheritdoc />
    public override int FeaturesDim { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        int batch = input.Shape[0];
        var images = _channelsLast
            ? input.Reshape(batch, _height, _width, _channels).Permute(0, 3, 1, 2).Contiguous()
            : input.Reshape(batch, _channels, _height, _width);
        return _linear.Forward(_cnn.Forward(images));
    }
}
