using Research.Abstractions.Algorithms;

namespace Research.Rl.Callbacks;

/// <summary>A callback made of delegates, for custom logic without a class; a missing delegate does nothing (and continues training).</summary>
public sealed class LambdaCallback(
    Func<IAlgorithm, bool>? onStep = null,
    Func<IAlgorithm, ResultRow, bool>? onIterationEnd = null,
    Action<IAlgorithm>? onTrainingStart = null,
    Action<IAlgorithm>? onTrainingEnd = null) : TrainingCallback
{
    /// <inheritdoc />
    public override void OnTrainingStart(IAlgorithm algorithm) => onTrainingStart?.Invoke(algorithm);

    /// <inheritdoc />
    public override bool OnStep(IAlgorithm algorithm) => onStep?.Invoke(algorithm) ?? true;

    /// <inheritdoc />
    public override bool OnIterationEnd(IAlgorithm algorithm, ResultRow result) => onIterationEnd?.Invoke(algorithm, result) ?? true;

    /// <inheritdoc />
    public override void OnTrainingEnd(IAlgorithm algorithm) => onTrainingEnd?.Invoke(algorithm);
}
