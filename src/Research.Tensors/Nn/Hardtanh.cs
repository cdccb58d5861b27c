namespace Research.Tensors.Nn;

/// <summary>Clips values to [min, max] (PyTorch's <c>nn.Hardtanh</c>; SB3's SAC clips the gSDE mean with it).</summary>
public sealed class Hardtanh(float min = -1f, float max = 1f) : Layer
{
    /// <summary>Lower bound.</summary>
    public float Min { get; } = min;

    /// <summary>Upper bound.</summary>
    public float Max { get; } = max;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Clamp(Min, Max);
}
