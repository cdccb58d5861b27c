namespace Research.Host.Zoo;

/// <summary>One environment's entry of a zoo hyperparameter file, turned into a config map for <see cref="Training.AlgorithmFactory"/>.</summary>
/// <param name="File">The YAML file read.</param>
/// <param name="Environment">The entry's key (the environment id).</param>
/// <param name="Config">The hyperparameters: algorithm options plus the factory's environment keys (<c>n_envs</c>, <c>normalize</c>).</param>
/// <param name="Timesteps">The entry's <c>n_timesteps</c> (the default training budget), or null when it gives none.</param>
public sealed record ZooEntry(string File, string Environment, IReadOnlyDictionary<string, object?> Config, long? Timesteps);
