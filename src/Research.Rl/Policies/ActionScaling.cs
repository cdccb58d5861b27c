using Research.Abstractions.Spaces;
using Research.Rl.Algorithms;
using Research.Tensors;

namespace Research.Rl.Policies;

/// <summary>
/// Maps between a bounded Box and [−1, 1], where squashed (tanh) policies act (Stable-Baselines' <c>scale_action</c> /
/// <c>unscale_action</c>): <c>low + (scaled + 1)·(high − low)/2</c>, in float32 as SB3's NumPy computes it.
/// </summary>
public sealed class ActionScaling
{
    private readonly float[] _low, _high;
    private readonly Tensor _lowTensor, _halfRangeTensor;

    /// <summary>The scaling of <paramref name="space"/>; <paramref name="algorithm"/> names the caller when the space is not a bounded Box.</summary>
    public ActionScaling(Space space, string algorithm)
    {
        if (space is not Box box) throw SpaceSupport.Unsupported(algorithm, space, "action");
        if (!box.IsBounded)
            throw new UnsupportedSpaceException($"{algorithm} squashes actions into the action space's bounds, but {box} has an infinite bound; give the Box finite low and high.");
        _low = box.Low;
        _high = box.High;
        _lowTensor = Tensor.PersistentZeros(_low.Length);
        _lowTensor.CopyFrom(_low);
        _halfRangeTensor = Tensor.PersistentZeros(_low.Length);
        var half = _halfRangeTensor.AsSpan();
        for (int k = 0; k < half.Length; k++) half[k] = 0.5f * (_high[k] - _low[k]);
    }

    /// <summary>Values per action.</summary>
    public int Size => _low.Length;

    /// <summary>Environment actions from scaled ones (rows of <see cref="Size"/> values); may run in place.</summary>
    public void Unscale(ReadOnlySpan<float> scaled, Span<float> actions)
    {
        int d = _low.Length;
        for (int i = 0; i < scaled.Length; i++)
        {
            int k = i % d;
            actions[i] = _low[k] + 0.5f * (scaled[i] + 1f) * (_high[k] - _low[k]);
        }
    }

    /// <summary>Scaled actions in [−1, 1] from environment ones; may run in place.</summary>
    public void Scale(ReadOnlySpan<float> actions, Span<float> scaled)
    {
        int d = _low.Length;
        for (int i = 0; i < actions.Length; i++)
        {
            int k = i % d;
            scaled[i] = 2f * ((actions[i] - _low[k]) / (_high[k] - _low[k])) - 1f;
        }
    }

    /// <summary>The differentiable unscaling of a <c>[batch, Size]</c> tensor (for behaviour cloning against environment actions).</summary>
    public Tensor Unscale(Tensor scaled) => (scaled + 1f) * _halfRangeTensor + _lowTensor;
}
