namespace Research.Rl.Evaluation;

/// <summary>Writes the action for one observation; <see cref="Research.Abstractions.Algorithms.IAlgorithm.Predict"/> fits it.</summary>
public delegate void PolicyFunction(ReadOnlySpan<float> observation, Span<float> action, bool deterministic);
