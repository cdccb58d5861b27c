using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Rl.Wrappers;

/// <summary>
/// Accepts actions in [min, max] and maps them affinely onto the inner Box's finite bounds, clipping the result
/// (Gymnasium's <c>RescaleAction</c>).
/// </summary>
public sealed class RescaleAction : EnvWrapper
{
    private readonly Box _innerSpace;
    private readonly Box _space;
    private readonly float[] _rescaled;

    /// <summary>Rescales every element from [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public RescaleAction(IEnv inner, float min, float max)
        : this(inner, Filled(inner, min), Filled(inner, max)) { }

    /// <summary>Rescales element k from [<paramref name="min"/>[k], <paramref name="max"/>[k]].</summary>
    public RescaleAction(IEnv inner, float[] min, float[] max) : base(inner)
    {
        _innerSpace = SpaceRequirements.RequireBox(inner.ActionSpace, nameof(RescaleAction), "action", bounded: true);
        int n = _innerSpace.FlatSize;
        if (min.Length != n || max.Length != n)
            throw new ArgumentException($"RescaleAction: min has {min.Length} and max {max.Length} values, but the action space {_innerSpace} has {n}.");
        for (int k = 0; k < n; k++)
            if (!(min[k] < max[k]) || !float.IsFinite(min[k]) || !float.IsFinite(max[k]))
                throw new ArgumentException($"RescaleAction: element {k} has min {min[k]} and max {max[k]}; expected finite min < max.");
        _space = new Box(min, max, [.. _innerSpace.Shape], _innerSpace.DType);
        _rescaled = new float[n];
    }

    /// <summary>The Box [min, max] with the inner shape.</summary>
    public override Space ActionSpace => _space;

    public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (action.Length != _rescaled.Length)
            throw new ArgumentException($"RescaleAction: expected {_rescaled.Length} action values, got {action.Length}.", nameof(action));
        for (int k = 0; k < _rescaled.Length; k++)
        {
            double low = _innerSpace.Low[k], high = _innerSpace.High[k];
            double fraction = (action[k] - (double)_space.Low[k]) / ((double)_space.High[k] - _space.Low[k]);
            _rescaled[k] = (float)Math.Clamp(low + (high - low) * fraction, low, high);
        }
        return Inner.Step(_rescaled, observation);
    }

    private static float[] Filled(IEnv inner, float value)
    {
        var values = new float[inner.ActionSpace.FlatSize];
        Array.Fill(values, value);
        return values;
    }
}
