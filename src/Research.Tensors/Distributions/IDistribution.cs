namespace Research.Tensors.Distributions;

/// <summary>A batch of action distributions, one per row, with differentiable log-probabilities (SB3's <c>Distribution</c>).</summary>
public interface IDistribution
{
    /// <summary>A sample per row; reparameterised (differentiable) for the Gaussian families.</summary>
    Tensor Sample(Generator generator);

    /// <summary>log p(actions) per row ([batch]).</summary>
    Tensor LogProb(Tensor actions);

    /// <summary>Entropy per row ([batch]), or null where there is no closed form (squashed Gaussian, as SB3).</summary>
    Tensor? Entropy();

    /// <summary>The most likely action per row (deterministic actions).</summary>
    Tensor Mode();
}
