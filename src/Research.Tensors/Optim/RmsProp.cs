using System.Runtime.CompilerServices;
namespace Research.Tensors.Optim;

/// <summary>RMSprop's hyperparameters (PyTorch's defaults; SB3's A2C uses alpha 0.99, eps 1e-5 with the TF-like variant).</summary>
public sealed record RmsPropOptions(double LearningRate = 1e-2, double Alpha = 0.99, double Eps = 1e-8, double Momentum = 0,
    bool Centered = false, double WeightDecay = 0);

/// <summary>RMSprop as <c>torch.optim.RMSprop</c>: square average starts at 0 and eps is added after the square root.</summary>
public class RmsProp : Optimizer
{
    private readonly RmsPropOptions _options;
    private readonly bool _tfLike;
    private readonly Tensor[] _squareAvg;
    private readonly Tensor[]? _gradAvg;
    private readonly Tensor[]? _momentumBuffer;

    /// <summary>PyTorch's RMSprop over <paramref name="parameters"/>.</summary>
    public RmsProp(IEnumerable<Tensor> parameters, RmsPropOptions options) : this(parameters, options, tfLike: false)
    {
    }

    private protected RmsProp(IEnumerable<Tensor> parameters, RmsPropOptions options, bool tfLike) : base(parameters, options.LearningRate)
    {
        if (options.Alpha < 0 || options.Eps < 0 || options.Momentum < 0 || options.WeightDecay < 0)
            throw new ArgumentException($"Invalid RMSprop options {options}: alpha, eps, momentum and weight decay must be ≥ 0.", nameof(options));
        _options = options;
        _tfLike = tfLike;
        _squareAvg = AddSlot("square_avg", tfLike ? 1f : 0f);
        if (options.Momentum > 0) _momentumBuffer = AddSlot("momentum_buffer", 0f);
        if (options.Centered) _gradAvg = AddSlot("grad_avg", 0f);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        var square = _squareAvg[index].AsSpan();
        var gradAvg = _gradAvg is null ? default : _gradAvg[index].AsSpan();
        var buffer = _momentumBuffer is null ? default : _momentumBuffer[index].AsSpan();
        float alpha = (float)_options.Alpha, oneMinusAlpha = (float)(1 - _options.Alpha), eps = (float)_options.Eps;
        float weightDecay = (float)_options.WeightDecay, momentum = (float)_options.Momentum, lr = (float)LearningRate;
        for (int i = 0; i < parameter.Length; i++)
        {
            float g = weightDecay != 0 ? gradient[i] + weightDecay * parameter[i] : gradient[i];
            square[i] = square[i] * alpha + oneMinusAlpha * g * g;
            float variance = square[i];
            if (_options.Centered)
            {
                gradAvg[i] = gradAvg[i] * alpha + g * oneMinusAlpha;
                variance = square[i] + -1f * gradAvg[i] * gradAvg[i];
            }
            // TF (and SB2) put eps inside the square root; PyTorch adds it outside.
            float avg = _tfLike ? MathF.Sqrt(variance + eps) : MathF.Sqrt(variance) + eps;
            if (momentum > 0)
            {
                buffer[i] = buffer[i] * momentum + g / avg;
                parameter[i] += -lr * buffer[i];
            }
            else parameter[i] += -lr * (g / avg);
        }
    }
}

/// <summary>
/// SB3's <c>RMSpropTFLike</c> (used by A2C): eps inside the square root and the square average initialised to ones,
/// matching TensorFlow and Stable-Baselines 2.
/// </summary>
public sealed class RmsPropTfLike : RmsProp
{
    /// <summary>The TF-style RMSprop over <paramref name="parameters"/>.</summary>
    public RmsPropTfLike(IEnumerable<Tensor> parameters, RmsPropOptions options) : base(parameters, options, tfLike: true)
    {
    }
}
