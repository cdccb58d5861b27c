namespace Research.Tensors.Optim;

/// <summary>SGD's hyperparameters.</summary>
public sealed record SgdOptions(double LearningRate, double Momentum = 0, double Dampening = 0, bool Nesterov = false, double WeightDecay = 0);

/// <summary>Stochastic gradient descent with optional momentum, as <c>torch.optim.SGD</c> (the buffer starts as the first gradient).</summary>
public sealed class Sgd : Optimizer
{
    private readonly SgdOptions _options;
    private readonly Tensor[]? _momentumBuffer;

    /// <summary>SGD over <paramref name="parameters"/>.</summary>
    public Sgd(IEnumerable<Tensor> parameters, SgdOptions options) : base(parameters, options.LearningRate)
    {
        if (options.Momentum < 0 || options.WeightDecay < 0 || (options.Nesterov && (options.Momentum <= 0 || options.Dampening != 0)))
            throw new ArgumentException($"Invalid SGD options {options}: momentum and weight decay ≥ 0; Nesterov needs momentum > 0 and no dampening.", nameof(options));
        _options = options;
        if (options.Momentum > 0) _momentumBuffer = AddSlot("momentum_buffer", 0f);
    }

    /// <inheritdoc />
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        float lr = (float)LearningRate, momentum = (float)_options.Momentum, dampening = (float)(1 - _options.Dampening);
        float weightDecay = (float)_options.WeightDecay;
        var buffer = _momentumBuffer is null ? default : _momentumBuffer[index].AsSpan();
        bool first = StepCount == 1;
        for (int i = 0; i < parameter.Length; i++)
        {
            float g = weightDecay != 0 ? gradient[i] + weightDecay * parameter[i] : gradient[i];
            if (momentum > 0)
            {
                buffer[i] = first ? g : buffer[i] * momentum + dampening * g;
                g = _options.Nesterov ? g + momentum * buffer[i] : buffer[i];
            }
            parameter[i] += -lr * g;
        }
    }
}
