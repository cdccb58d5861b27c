using Research.Abstractions.Options;
using Research.Host.Catalog;

namespace Research.Host.Training;

/// <summary>How the vector env steps its copies.</summary>
public enum VectorEnvKind
{
    /// <summary>All copies on the caller's thread (Stable-Baselines' <c>DummyVecEnv</c>; config <c>vec_env: sync</c>, the default).</summary>
    Sync,

    /// <summary>Copies stepped on worker threads (config <c>vec_env: parallel</c>, the zoo's <c>subproc</c>).</summary>
    Parallel,
}

/// <summary>
/// One training run, bound once from its config at the edge (<c>research train</c>, a sweep trial, <c>pretrain</c>,
/// <c>expert record</c>, <c>bench</c>, C#): the algorithm and its typed options (seed and timestep budget included), the
/// environment and its typed options, the vector env and normalization. <see cref="AlgorithmFactory.Create(TrainingPlan)"/>
/// builds the run from it; nothing downstream reads the config map again.
/// </summary>
/// <param name="Algorithm">The algorithm's catalog entry.</param>
/// <param name="Environment">The environment's catalog entry.</param>
/// <param name="Options">The algorithm's bound options; <see cref="AlgorithmOptions.TotalTimesteps"/> is the planned budget.</param>
/// <param name="EnvironmentOptions">The environment's bound options (<c>env_kwargs</c>), or null when it takes none.</param>
/// <param name="Normalize">The zoo's <c>normalize</c> settings, or null for none.</param>
/// <param name="VectorEnv">How the copies (<c>n_envs</c>) are stepped.</param>
public sealed record TrainingPlan(
    AlgorithmEntry Algorithm, EnvironmentEntry Environment, AlgorithmOptions Options,
    object? EnvironmentOptions, NormalizeSettings? Normalize, VectorEnvKind VectorEnv)
{
    /// <summary>The planned budget in timesteps (the options' <c>total_timesteps</c>), or null.</summary>
    public long? Timesteps => Options.TotalTimesteps;

    /// <summary>The seed (the options' <c>seed</c>), or null for a drawn one.</summary>
    public int? Seed => Options.Seed;

    /// <summary>This plan with <paramref name="seed"/>.</summary>
    public TrainingPlan WithSeed(int seed) => this with { Options = Options with { Seed = seed } };

    /// <summary>This plan with <paramref name="timesteps"/> as its budget.</summary>
    public TrainingPlan WithTimesteps(long timesteps) => this with { Options = Options with { TotalTimesteps = timesteps } };

    /// <summary>Throws an <see cref="OptionsException"/> naming the first schedule that needs a budget when the plan has none.</summary>
    public void EnsureBudget() => Options.EnsureBudget(Timesteps, Algorithm.Name);
}
