using Research.Abstractions.Options;
using Research.Host.Zoo;

namespace Research.Host.Training;

/// <summary>What <c>research train</c> and <c>research bench</c> run: the plan bound from the zoo entry with the overrides on top, and the zoo file read.</summary>
/// <param name="Plan">The bound plan; its budget is always set.</param>
/// <param name="HyperparameterFile">The zoo file read, or null.</param>
public sealed record TrainingSetup(TrainingPlan Plan, string? HyperparameterFile)
{
    /// <summary>
    /// Resolves a training request and binds it once: unknown names fail first (with the nearest name), then the merged config
    /// (an error caused by the zoo entry alone is prefixed with its file and entry); the budget is <paramref name="timesteps"/>,
    /// else the config's <c>total_timesteps</c>, else the zoo's <c>n_timesteps</c>, and one is required.
    /// </summary>
    /// <param name="factory">Binds the config.</param>
    /// <param name="algorithm">Algorithm name.</param>
    /// <param name="environment">Environment id.</param>
    /// <param name="hyperparameters"><c>zoo</c>, a YAML file in the zoo's layout, or null for the algorithm's defaults.</param>
    /// <param name="overrides">Config given explicitly (<c>--config</c>); wins over the zoo.</param>
    /// <param name="timesteps">The budget (<c>--timesteps</c>), or null.</param>
    /// <param name="seed">The seed (<c>--seed</c>), or null to keep the config's.</param>
    /// <param name="initFrom">
    /// A model file or checkpoint directory to continue from (<c>--init-from</c>): its saved options are the base config under the
    /// zoo's and the overrides (as the zoo's <c>--trained-agent</c> passes its hyperparameters to <c>load</c>); its budget is not reused.
    /// </param>
    public static TrainingSetup Resolve(AlgorithmFactory factory, string algorithm, string environment, string? hyperparameters,
        IReadOnlyDictionary<string, object?> overrides, long? timesteps, int? seed = null, string? initFrom = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        string algorithmName = factory.Plan(algorithm, environment, new Dictionary<string, object?>()).Algorithm.Name;
        var zoo = hyperparameters is null ? null : ZooHyperparameters.Load(algorithm, environment, hyperparameters);
        var config = initFrom is null ? new Dictionary<string, object?>() : ConfigPairs.FromSavedModel(initFrom, algorithmName);
        if (zoo is not null) config = ConfigPairs.Merge(config, zoo.Config);
        config = ConfigPairs.Merge(config, overrides);
        TrainingPlan plan;
        try
        {
            plan = factory.Plan(algorithm, environment, config, seed, timesteps, zoo?.Timesteps);
        }
        catch (OptionsException) when (zoo is not null && ZooError(factory, algorithm, environment, zoo) is { } zooError)
        {
            throw zooError;
        }
        if (plan.Timesteps is not { } budget)
            throw new OptionsException($"no training budget for {algorithm} on {environment}: pass --timesteps N" +
                                       (zoo is null ? " or --hyperparams zoo." : $" ({zoo.File} [{zoo.Environment}] has no n_timesteps)."));
        if (budget <= 0) throw new OptionsException($"the training budget must be positive, got {budget} timesteps.");
        return new TrainingSetup(plan, zoo?.File);
    }

    /// <summary>When the zoo entry alone does not bind, its error prefixed with the file and entry (the overrides are not to blame).</summary>
    private static OptionsException? ZooError(AlgorithmFactory factory, string algorithm, string environment, ZooEntry zoo)
    {
        try
        {
            factory.Plan(algorithm, environment, zoo.Config);
            return null;
        }
        catch (OptionsException e)
        {
            return new OptionsException($"{zoo.File} [{zoo.Environment}]: {e.Message}");
        }
    }
}
