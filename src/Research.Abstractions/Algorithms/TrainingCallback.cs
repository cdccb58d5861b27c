namespace Research.Abstractions.Algorithms;

/// <summary>Hooks into <see cref="IAlgorithm.Learn"/>, as Stable-Baselines' <c>BaseCallback</c> does.</summary>
public abstract class TrainingCallback
{
    /// <summary>Called once before the first iteration.</summary>
    public virtual void OnTrainingStart(IAlgorithm algorithm) { }

    /// <summary>Called after every (vector) environment step; return false to stop training.</summary>
    public virtual bool OnStep(IAlgorithm algorithm) => true;

    /// <summary>Called after every iteration with its result row; return false to stop training.</summary>
    public virtual bool OnIterationEnd(IAlgorithm algorithm, ResultRow result) => true;

    /// <summary>Called once when training ends, however it ends.</summary>
    public virtual void OnTrainingEnd(IAlgorithm algorithm) { }
}
