using Research.Abstractions.Algorithms;
using Research.Abstractions.Spaces;

namespace Research.Host.Models;

/// <summary>A model read from a <c>.zip</c>: the algorithm object and the spaces it was trained on.</summary>
/// <param name="Path">The model file.</param>
/// <param name="Algorithm">The loaded algorithm (predicts; trains when loaded with an env).</param>
/// <param name="ObservationSpace">Space of one observation.</param>
/// <param name="ActionSpace">Space of one action.</param>
public sealed record LoadedModel(string Path, IAlgorithm Algorithm, Space ObservationSpace, Space ActionSpace) : IDisposable
{
    /// <summary>Disposes the algorithm.</summary>
    public void Dispose() => Algorithm.Dispose();
}
