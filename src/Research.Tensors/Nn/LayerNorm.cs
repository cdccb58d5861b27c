namespace Research.Tensors.Nn;

/// <summary>
/// Layer normalisation over the last dimension (Ba et al. 2016; PyTorch's <c>nn.LayerNorm</c>): (x − mean) / √(var + ε) · weight + bias,
/// with the biased variance, weight initialised to 1 and bias to 0.
/// </summary>
public sealed class LayerNorm : Layer
{
    /// <summary>Normalises the last dimension of size <paramref name="features"/>; <paramref name="epsilon"/> is PyTorch's default.</summary>
    public LayerNorm(int features, float epsilon = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        Features = features;
        Epsilon = epsilon;
        Weight = RegisterParameter("weight", Tensor.PersistentZeros(features));
        Weight.AsSpan().Fill(1f);
        Bias = RegisterParameter("bias", Tensor.PersistentZeros(features));
    }

    /// <summary>Size of the normalised dimension.</summary>
    public int Features { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public float Epsilon { get; }

    /// <summary>Scale per feature ([features]).</summary>
    public Tensor Weight { get; }

    /// <summary>Shift per feature ([features]).</summary>
    public Tensor Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Normalize(input, Weight, Bias);

    /// <summary>The same output with the weight and bias treated as constants (no gradient is computed for them).</summary>
    public Tensor ForwardWithConstantParameters(Tensor input) => Normalize(input, Weight.Detach(), Bias.Detach());

    private Tensor Normalize(Tensor input, Tensor weight, Tensor bias)
    {
        int last = input.Rank - 1;
        if (input.Rank < 1 || input.Shape[last] != Features)
            throw new ArgumentException($"LayerNorm({Features}) needs inputs whose last dimension is {Features}, got {Tensor.FormatShape(input.Shape)}.", nameof(input));
        var centred = input - input.Mean(last, keepDim: true);
        var variance = centred.Square().Mean(last, keepDim: true);
        return centred / (variance + Epsilon).Sqrt() * weight + bias;
    }
}
