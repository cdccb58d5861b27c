using System.Reflection;
using Research.Abstractions.Algorithms;

namespace Research.Host.Models;

/// <summary>Per observation: class probabilities (Discrete, MultiDiscrete), mean then std (Box), or probabilities of 1 (MultiBinary).</summary>
public delegate float[] ActionProbabilityFunction(ReadOnlySpan<float> observations, int batch);

/// <summary>Finds an algorithm's <c>ActionProbability(ReadOnlySpan&lt;float&gt;, int)</c> (Stable-Baselines' <c>predict_proba</c>) without knowing its type.</summary>
public static class ActionProbabilities
{
    /// <summary>The algorithm's probability function; throws naming the algorithm when it has none.</summary>
    public static ActionProbabilityFunction For(IAlgorithm algorithm)
    {
        var method = algorithm.GetType().GetMethod("ActionProbability", BindingFlags.Public | BindingFlags.Instance,
            [typeof(ReadOnlySpan<float>), typeof(int)]);
        if (method is null || method.ReturnType != typeof(float[]))
            throw new NotSupportedException($"{algorithm.Name} does not report action probabilities (it has no public float[] ActionProbability(ReadOnlySpan<float>, int)).");
        return method.CreateDelegate<ActionProbabilityFunction>(algorithm);
    }
}
