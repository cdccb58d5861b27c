using Research.Abstractions.Algorithms;

namespace Research.Tune;

/// <summary>Creates a trial's algorithm by name; the plugin host implements it, tests use a fake.</summary>
public interface ITrialFactory
{
    /// <summary>Checks that the algorithm and environment exist and that <paramref name="config"/> binds onto the algorithm's options.</summary>
    /// <exception cref="Research.Abstractions.Options.OptionsException">naming the key and the nearest valid name.</exception>
    void Validate(string algorithm, string env, IReadOnlyDictionary<string, object?> config);

    /// <summary>Creates the algorithm on its environment with <paramref name="config"/> (dotted keys for nested options) and <paramref name="seed"/>.</summary>
    IAlgorithm Create(string algorithm, string env, IReadOnlyDictionary<string, object?> config, int seed);
}
