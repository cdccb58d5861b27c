using Research.Tensors;
using Research.Tensors.Nn;

namespace Research.Rl.Policies;

/// <summary>
/// A target network paired with the network it follows, tensor by tensor (same names, same shapes): Stable-Baselines'
/// <c>polyak_update</c> of the parameters and the copy of the buffers (batch-norm statistics) that goes with it.
/// </summary>
public sealed class TargetNetworkUpdate
{
    private readonly Tensor[] _online, _target;
    private readonly int _parameterCount;

    /// <summary>Pairs <paramref name="target"/>'s parameters and buffers with <paramref name="online"/>'s; both must have the same names and shapes.</summary>
    public TargetNetworkUpdate(Module online, Module target)
    {
        var onlineParameters = online.NamedParameters().ToList();
        var targetParameters = target.NamedParameters().ToList();
        var onlineBuffers = online.NamedBuffers().ToList();
        var targetBuffers = target.NamedBuffers().ToList();
        if (!onlineParameters.Select(p => p.Key).SequenceEqual(targetParameters.Select(p => p.Key)) ||
            !onlineBuffers.Select(p => p.Key).SequenceEqual(targetBuffers.Select(p => p.Key)))
            throw new ArgumentException("A target network must have the same parameters and buffers as the network it follows.", nameof(target));
        _parameterCount = onlineParameters.Count;
        _online = [.. onlineParameters.Concat(onlineBuffers).Select(p => p.Value)];
        _target = [.. targetParameters.Concat(targetBuffers).Select(p => p.Value)];
        for (int i = 0; i < _online.Length; i++)
            if (!_online[i].Shape.SequenceEqual(_target[i].Shape))
                throw new ArgumentException($"Target tensor {i} has shape {Tensor.FormatShape(_target[i].Shape)}, the online one {Tensor.FormatShape(_online[i].Shape)}.", nameof(target));
    }

    /// <summary>
    /// <c>target ← (1 − τ)·target + τ·online</c> in float32 for the parameters, as SB3's <c>polyak_update</c>; τ = 1 copies exactly.
    /// Buffers are always copied (SB3 updates batch-norm statistics with τ = 1).
    /// </summary>
    public void Polyak(double tau)
    {
        // Python computes 1 − τ in double; PyTorch then applies both factors in float32.
        float keep = (float)(1 - tau), weight = (float)tau;
        for (int i = 0; i < _online.Length; i++)
        {
            var source = _online[i].AsSpan();
            var destination = _target[i].AsSpan();
            if (tau == 1 || i >= _parameterCount)
            {
                source.CopyTo(destination);
                continue;
            }
            for (int k = 0; k < destination.Length; k++) destination[k] = destination[k] * keep + weight * source[k];
        }
    }

    /// <summary>Copies every tensor of the online network into the target (a hard update).</summary>
    public void Copy() => Polyak(1);
}
