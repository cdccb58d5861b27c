using System.Runtime.CompilerServices;

namespace Research.Tensors;

/// <summary>Inline storage for a shape or strides, so a tensor's geometry costs no extra allocation.</summary>
[InlineArray(Tensor.MaxRank)]
internal struct Dims
{
    private int _element;
}
