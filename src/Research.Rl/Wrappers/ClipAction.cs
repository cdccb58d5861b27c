using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Rl.Wrappers;

/// <summary>Clips Box actions to the inner bounds, so any real action is accepted (Gymnasium's <c>ClipAction</c>).</summary>
public sealed class ClipAction : EnvWrapper
{
    private readonly Box _innerSpace;
    private readonly float[] _clipped;

    /// <summary>Wraps an environment with a Box action space.</summary>
    public ClipAction(IEnv inner) : base(inner)
    {
        _innerSpace = SpaceRequirements.RequireBox(inner.ActionSpace, nameof(ClipAction), "action");
        _clipped = new float[_innerSpace.FlatSize];
        ActionSpace = new Box(float.NegativeInfinity, float.PositiveInfinity, [.. _innerSpace.Shape], _innerSpace.DType);
    }

    /// <summary>Unbounded, with the inner shape.</summary>
    public override Space ActionSpace { get; }

    public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (action.Length != _clipped.Length)
            throw new ArgumentException($"ClipAction: expected {_clipped.Length} action values, got {action.Length}.", nameof(action));
        for (int k = 0; k < _clipped.Length; k++) _clipped[k] = Math.Clamp(action[k], _innerSpace.Low[k], _innerSpace.High[k]);
        return Inner.Step(_clipped, observation);
    }
}
