using Research.Abstractions.Options;
using Research.Host.Zoo;

namespace Research.Host.Training;

/// <summary>What to train, checked: the names, the merged config (zoo entry, then overrides) and the budget.</summary>
/// <param name="Algorithm">Algorithm name as given.</param>
/// <param name="Environment">Environment id as given.</param>
/// <param name="Config">Zoo hyperparameters (when asked for) with the overrides on top.</param>
/// <param name="Timesteps">The budget: the explicit one, else the zoo's <c>n_timesteps</c>.</param>
/// <param name="HyperparameterFile">The zoo file read, or null.</param>
public sealed record TrainingSetup(string Algorithm, string Environment, IReadOnlyDictionary<string, object?> Config, long Timesteps, string? HyperparameterFile)
{
    /// <summary>
    /// Resolves and validates a training request: unknown names fail first (with the nearest name), then the zoo entry alone
    /// (errors prefixed with its file and entry), then the merged config.
    /// </summary>
    /// <param name="factory">Checks names and config.</param>
    /// <param name="algorithm">Algorithm name.</param>
    /// <param name="environment">Environment id.</param>
    /// <param name="hyperparameters"><c>zoo</c>, a YAML file in the zoo's layout, or null for the algorithm's defaults.</param>
    /// <param name="overrides">Config given explicitly (<c>--config</c>); wins over the zoo.</param>
    /// <param name="timesteps">The budget; null takes the zoo's <c>n_timesteps</c>.</param>
    public static TrainingSetup Resolve(AlgorithmFactory factory, string algorithm, string environment, string? hyperparameters,
        IReadOnlyDictionary<string, object?> overrides, long? timesteps)
    {
        ArgumentNullException.ThrowIfNull(factory);
        factory.Validate(algorithm, environment, new Dictionary<string, object?>());
        ZooEntry? zoo = null;
        if (hyperparameters is not null)
        {
            zoo = ZooHyperparameters.Load(algorithm, environment, hyperparameters);
            try
            {
                factory.Validate(algorithm, environment, zoo.Config);
            }
            catch (OptionsException e)
            {
                throw new OptionsException($"{zoo.File} [{zoo.Environment}]: {e.Message}");
            }
        }
        var config = zoo is null ? new Dictionary<string, object?>(overrides) : ConfigPairs.Merge(zoo.Config, overrides);
        factory.Validate(algorithm, environment, config);
        long budget = timesteps ?? zoo?.Timesteps
            ?? throw new OptionsException($"no training budget for {algorithm} on {environment}: pass --timesteps N" +
                                          (zoo is null ? " or --hyperparams zoo." : $" ({zoo.File} [{zoo.Environment}] has no n_timesteps)."));
        if (budget <= 0) throw new OptionsException($"the training budget must be positive, got {budget} timesteps.");
        return new TrainingSetup(algorithm, environment, config, budget, zoo?.File);
    }
}
