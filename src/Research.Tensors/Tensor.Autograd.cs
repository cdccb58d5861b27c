using Research.Tensors.Autograd;

namespace Research.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Accumulates d(this)/d(leaf) into every leaf's <see cref="Grad"/>. Without <paramref name="gradient"/> the tensor
    /// must hold one element (a loss); otherwise <paramref name="gradient"/> is the seed with this tensor's shape.
    /// </summary>
    public void Backward(Tensor? gradient = null) => Backprop.Run(this, gradient);

    /// <summary>A tensor sharing this one's storage that records nothing (a new leaf without grad).</summary>
    public Tensor Detach() => View(this, Shape, Strides, Offset);

    /// <summary>Stops recording until disposed (shorthand for <see cref="GradMode.NoGrad"/>).</summary>
    public static NoGradScope NoGrad() => GradMode.NoGrad();

    /// <summary>Sets <see cref="Grad"/> to zeros (keeping its storage).</summary>
    public void ZeroGrad() => Grad?.Fill(0f);
}
