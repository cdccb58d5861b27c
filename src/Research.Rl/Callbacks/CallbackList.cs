using Research.Abstractions.Algorithms;

namespace Research.Rl.Callbacks;

/// <summary>Runs several callbacks in order, as Stable-Baselines' <c>CallbackList</c>: every callback sees every event, and training stops if any asks to.</summary>
public sealed class CallbackList : TrainingCallback
{
    private readonly TrainingCallback[] _callbacks;

    /// <summary>Combines <paramref name="callbacks"/>, called in the given order.</summary>
    public CallbackList(params IEnumerable<TrainingCallback> callbacks)
    {
        ArgumentNullException.ThrowIfNull(callbacks);
        _callbacks = callbacks.ToArray();
        if (_callbacks.Any(c => c is null)) throw new ArgumentException("CallbackList: a callback is null.", nameof(callbacks));
    }

    /// <summary>The callbacks, in call order.</summary>
    public IReadOnlyList<TrainingCallback> Callbacks => _callbacks;

    /// <inheritdoc />
    public override void OnTrainingStart(IAlgorithm algorithm)
    {
        foreach (var callback in _callbacks) callback.OnTrainingStart(algorithm);
    }

    /// <inheritdoc />
    public override bool OnStep(IAlgorithm algorithm)
    {
        bool continueTraining = true;
        foreach (var callback in _callbacks) continueTraining = callback.OnStep(algorithm) && continueTraining;
        return continueTraining;
    }

    /// <inheritdoc />
    public override bool OnIterationEnd(IAlgorithm algorithm, ResultRow result)
    {
        bool continueTraining = true;
        foreach (var callback in _callbacks) continueTraining = callback.OnIterationEnd(algorithm, result) && continueTraining;
        return continueTraining;
    }

    /// <inheritdoc />
    public override void OnTrainingEnd(IAlgorithm algorithm)
    {
        foreach (var callback in _callbacks) callback.OnTrainingEnd(algorithm);
    }
}
