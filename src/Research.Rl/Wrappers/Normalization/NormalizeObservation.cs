using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Rl.Wrappers.Normalization;

/// <summary>Settings of <see cref="NormalizeObservation"/>, with <c>VecNormalize</c>'s defaults.</summary>
/// <param name="Clip">Normalized values are clipped to ±this.</param>
/// <param name="Epsilon">Added to the variance before the square root.</param>
/// <param name="Training">Whether the statistics are updated.</param>
public sealed record NormalizeObservationOptions(double Clip = 10.0, double Epsilon = 1e-8, bool Training = true);

/// <summary>
/// Normalizes one environment's Box observations to <c>clip((obs − mean) / sqrt(var + ε), ±clip)</c> with running
/// statistics, the single-env form of <see cref="VectorEnvs.VecNormalize"/>'s observation normalization.
/// </summary>
public sealed class NormalizeObservation : EnvWrapper
{
    private readonly NormalizeObservationOptions _options;

    /// <summary>Wraps an environment with a Box observation space.</summary>
    public NormalizeObservation(IEnv inner, NormalizeObservationOptions? options = null) : base(inner)
    {
        var box = SpaceRequirements.RequireBox(inner.ObservationSpace, nameof(NormalizeObservation), "observation");
        _options = options ?? new NormalizeObservationOptions();
        if (!(_options.Clip > 0)) throw new ArgumentOutOfRangeException(nameof(options), _options.Clip, "NormalizeObservation: Clip must be positive.");
        if (!(_options.Epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(options), _options.Epsilon, "NormalizeObservation: Epsilon must be positive.");
        Training = _options.Training;
        Statistics = new RunningMeanStd(box.FlatSize);
        ObservationSpace = new Box((float)-_options.Clip, (float)_options.Clip, [.. box.Shape]);
    }

    /// <summary>Whether the statistics are updated; false freezes them.</summary>
    public bool Training { get; set; }

    /// <summary>The running observation statistics.</summary>
    public RunningMeanStd Statistics { get; }

    /// <summary>The Box [−clip, clip] with the inner shape.</summary>
    public override Space ObservationSpace { get; }

    public override void Reset(Span<float> observation, int? seed = null)
    {
        Inner.Reset(observation, seed);
        Normalize(observation);
    }

    public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        var outcome = Inner.Step(action, observation);
        Normalize(observation);
        return outcome;
    }

    private void Normalize(Span<float> observation)
    {
        if (Training) Statistics.Update<float>(observation);
        Statistics.Normalize(observation, observation, 0, _options.Clip, _options.Epsilon);
    }

    public override void WriteState(BinaryWriter writer)
    {
        Statistics.Write(writer);
        base.WriteState(writer);
    }

    public override void ReadState(BinaryReader reader)
    {
        Statistics.Read(reader);
        base.ReadState(reader);
    }
}
