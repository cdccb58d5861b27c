using Research.Rl.Policies;
using Research.Tensors;
using Research.Tensors.Memory;
using Research.Tensors.Nn;

namespace Research.Rl.Noise;

/// <summary>
/// Stable-Baselines 2's <c>AdaptiveParamNoiseSpec</c> (Plappert et al. 2018): the standard deviation of the Gaussian added to the
/// actor's weights, divided by <c>adoption_coefficient</c> when perturbed actions moved further than <c>desired_action_stddev</c>
/// from the unperturbed ones, multiplied by it otherwise.
/// </summary>
public sealed class AdaptiveParamNoiseSpec
{
    /// <summary>The schedule with SB2's defaults (0.1, 0.1, 1.01).</summary>
    public AdaptiveParamNoiseSpec(double initialStddev = 0.1, double desiredActionStddev = 0.1, double adoptionCoefficient = 1.01)
    {
        if (!(initialStddev >= 0) || !(desiredActionStddev >= 0) || !(adoptionCoefficient > 0))
            throw new ArgumentOutOfRangeException(nameof(initialStddev),
                $"param_noise needs initial_stddev ≥ 0, desired_action_stddev ≥ 0 and adoption_coefficient > 0, got {initialStddev}, {desiredActionStddev}, {adoptionCoefficient}.");
        InitialStddev = initialStddev;
        DesiredActionStddev = desiredActionStddev;
        AdoptionCoefficient = adoptionCoefficient;
        CurrentStddev = initialStddev;
    }

    /// <summary>The standard deviation at the start.</summary>
    public double InitialStddev { get; }

    /// <summary>The action-space distance the perturbation aims at.</summary>
    public double DesiredActionStddev { get; }

    /// <summary>The factor the standard deviation changes by per adaptation.</summary>
    public double AdoptionCoefficient { get; }

    /// <summary>The standard deviation of the weight perturbation now.</summary>
    public double CurrentStddev { get; set; }

    /// <summary>SB2's <c>adapt</c>: shrinks the standard deviation when <paramref name="distance"/> exceeds the desired one, else grows it.</summary>
    public void Adapt(double distance)
    {
        if (distance > DesiredActionStddev) CurrentStddev /= AdoptionCoefficient;
        else CurrentStddev *= AdoptionCoefficient;
    }
}

/// <summary>
/// Parameter-space exploration for a deterministic actor, as Stable-Baselines 2's DDPG does it: a perturbed copy of the actor
/// (every weight plus N(0, σ²), layer-normalisation parameters copied unperturbed) chooses the exploring actions and is redrawn at
/// episode ends; a second copy, perturbed the same way, measures the distance √mean((π(s) − π̃(s))²) on replayed observations
/// to adapt σ (<see cref="AdaptiveParamNoiseSpec"/>).
/// </summary>
public sealed class ParameterNoise
{
    private readonly (Tensor Source, Tensor Perturbed, Tensor Adaptive, bool Perturb)[] _tensors;
    private readonly Td3Actor _actor;

    /// <summary>Noise for <paramref name="actor"/>, with <paramref name="perturbed"/> and <paramref name="adaptive"/> two copies of its architecture.</summary>
    public ParameterNoise(Td3Actor actor, Td3Actor perturbed, Td3Actor adaptive, AdaptiveParamNoiseSpec spec)
    {
        _actor = actor;
        Perturbed = perturbed;
        Adaptive = adaptive;
        Spec = spec;
        var sources = Tensors(actor);
        var perturbedTensors = Tensors(perturbed);
        var adaptiveTensors = Tensors(adaptive);
        if (perturbedTensors.Count != sources.Count || adaptiveTensors.Count != sources.Count)
            throw new ArgumentException("Parameter noise needs copies with the actor's architecture.", nameof(perturbed));
        _tensors = sources.Select((s, i) => (s.Tensor, perturbedTensors[i].Tensor, adaptiveTensors[i].Tensor, s.Perturb)).ToArray();
        Perturbed.Eval();
        Adaptive.Eval();
    }

    /// <summary>The σ schedule.</summary>
    public AdaptiveParamNoiseSpec Spec { get; }

    /// <summary>The perturbed actor that explores.</summary>
    public Td3Actor Perturbed { get; }

    /// <summary>The scratch copy used to measure the distance.</summary>
    public Td3Actor Adaptive { get; }

    /// <summary>Redraws the exploring actor: the actor's weights plus N(0, σ²) with the current σ (SB2's <c>perturb_policy_ops</c>).</summary>
    public void Perturb(Generator generator)
    {
        foreach (var (source, perturbed, _, perturb) in _tensors) Draw(source, perturbed, perturb, generator);
    }

    /// <summary>
    /// SB2's <c>_adapt_param_noise</c>: perturbs the scratch copy with the current σ, measures √mean((π(s) − π̃(s))²) over the
    /// preprocessed <paramref name="observations"/>, adapts σ and returns the distance.
    /// </summary>
    public double Adapt(Tensor observations, Generator generator)
    {
        foreach (var (source, _, adaptive, perturb) in _tensors) Draw(source, adaptive, perturb, generator);
        double distance;
        using (TensorScope.Begin())
        using (Tensor.NoGrad())
        {
            var difference = (_actor.Forward(observations) - Adaptive.Forward(observations)).Contiguous().AsSpan();
            double sum = 0;
            foreach (float d in difference) sum += (double)d * d;
            distance = Math.Sqrt(sum / difference.Length);
        }
        Spec.Adapt(distance);
        return distance;
    }

    /// <summary>Writes σ and the perturbed actor's weights (for checkpoints).</summary>
    public void WriteState(BinaryWriter writer)
    {
        writer.Write(Spec.CurrentStddev);
        foreach (var (_, perturbed, _, _) in _tensors)
            foreach (float v in perturbed.AsSpan()) writer.Write(v);
    }

    /// <summary>Reads what <see cref="WriteState"/> wrote.</summary>
    public void ReadState(BinaryReader reader)
    {
        Spec.CurrentStddev = reader.ReadDouble();
        foreach (var (_, perturbed, _, _) in _tensors)
        {
            var values = perturbed.AsSpan();
            for (int k = 0; k < values.Length; k++) values[k] = reader.ReadSingle();
        }
    }

    private void Draw(Tensor source, Tensor destination, bool perturb, Generator generator)
    {
        var from = source.AsSpan();
        var to = destination.AsSpan();
        if (!perturb)
        {
            from.CopyTo(to);
            return;
        }
        double sigma = Spec.CurrentStddev;
        for (int k = 0; k < to.Length; k++) to[k] = (float)(from[k] + sigma * generator.NextNormal());
    }

    // Every parameter and buffer in a fixed order; only parameters outside LayerNorm modules are perturbed (SB2's
    // get_perturbable_vars: trainable variables not under LayerNorm); buffers and LayerNorm parameters are copied.
    private static List<(Tensor Tensor, bool Perturb)> Tensors(Module module)
    {
        var result = new List<(Tensor, bool)>();
        Collect(module, perturb: true, result);
        return result;
    }

    private static void Collect(Module module, bool perturb, List<(Tensor, bool)> into)
    {
        bool own = perturb && module is not LayerNorm;
        bool Direct(string name) => !name.Contains('.');
        foreach (var (name, tensor) in module.NamedParameters()) if (Direct(name)) into.Add((tensor, own));
        foreach (var (name, tensor) in module.NamedBuffers()) if (Direct(name)) into.Add((tensor, false));
        foreach (var (_, child) in module.Children) Collect(child, own, into);
    }
}
