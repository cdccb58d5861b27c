using Research.Abstractions.Algorithms;

namespace Research.Rl.Callbacks;

/// <summary>A callback run by an <see cref="EvalCallback"/> after a new best or after each evaluation, which can read the evaluation's results.</summary>
public abstract class EvalChildCallback : TrainingCallback
{
    /// <summary>The evaluation callback running this one; set when it is given to an <see cref="EvalCallback"/>.</summary>
    public EvalCallback? Parent { get; internal set; }

    /// <summary>The parent, or a clear error when this callback was not given to an <see cref="EvalCallback"/>.</summary>
    protected EvalCallback RequireParent() => Parent ?? throw new InvalidOperationException(
        $"{GetType().Name} must be passed to an EvalCallback (as callbackOnNewBest or callbackAfterEval), not used on its own.");
}
