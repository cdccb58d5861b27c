namespace Research.Tensors.Nn;

/// <summary>y = x·Wᵀ + b with W [out, in], initialised as PyTorch's <c>nn.Linear</c> (uniform ±1/√in).</summary>
public sealed class Linear : Layer
{
    /// <summary>A layer with fresh parameters drawn from <paramref name="generator"/>.</summary>
    public Linear(int inFeatures, int outFeatures, Generator generator, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear sizes must be positive, got in {inFeatures}, out {outFeatures}.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Tensor.PersistentZeros(outFeatures, inFeatures));
        Init.KaimingUniform(Weight, generator, a: MathF.Sqrt(5f));
        if (bias)
        {
            Bias = RegisterParameter("bias", Tensor.PersistentZeros(outFeatures));
            float bound = 1f / MathF.Sqrt(inFeatures);
            Init.Uniform(Bias, generator, -bound, bound);
        }
    }

    /// <summary>Input size.</summary>
    public int InFeatures { get; }

    /// <summary>Output size.</summary>
    public int OutFeatures { get; }

    /// <summary>[out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>[out], or null without bias.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Tensor.Linear(input, Weight, Bias);
}
