namespace Research.Tensors.Optim;

/// <summary>Gradient clipping by global norm (PyTorch's <c>clip_grad_norm_</c>).</summary>
public static class GradClip
{
    /// <summary>Scales all gradients by max_norm / (norm + 1e-6) when the global L2 norm exceeds <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public static float ClipGradNorm(IReadOnlyList<Tensor> parameters, float maxNorm)
    {
        double sumSquares = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            var grad = parameters[i].Grad;
            if (grad is null) continue;
            float norm = System.Numerics.Tensors.TensorPrimitives.Norm((ReadOnlySpan<float>)grad.AsSpan());
            sumSquares += (double)norm * norm;
        }
        float total = (float)Math.Sqrt(sumSquares);
        float coefficient = maxNorm / (total + 1e-6f);
        if (coefficient < 1f)
        {
            for (int i = 0; i < parameters.Count; i++)
            {
                var grad = parameters[i].Grad;
                if (grad is null) continue;
                var span = grad.AsSpan();
                System.Numerics.Tensors.TensorPrimitives.Multiply(span, coefficient, span);
            }
        }
        return total;
    }
}
