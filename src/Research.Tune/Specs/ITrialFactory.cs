using Research.Abstractions.Algorithms;

namespace Research.Tune;

/// <summary>What a trial trains: the names, its config (dotted keys for nested options), its seed and its timestep budget.</summary>
/// <param name="Algorithm">Registered algorithm name.</param>
/// <param name="Env">Registered environment id.</param>
/// <param name="Config">The trial's config.</param>
/// <param name="Seed">The trial's seed (null while validating a spec: the config's own, if any).</param>
/// <param name="Timesteps">
/// The budget schedules follow when the config gives no <c>total_timesteps</c>: the spec's <c>stop.timesteps_total</c>, as RLlib
/// writes schedules over timesteps; null when the spec stops on something else.
/// </param>
public sealed record TrialRequest(string Algorithm, string Env, IReadOnlyDictionary<string, object?> Config, int? Seed = null, long? Timesteps = null)
{
    /// <summary>The request for trial <paramref name="spec"/> with <paramref name="config"/>.</summary>
    public static TrialRequest For(TrialSpec spec, IReadOnlyDictionary<string, object?> config) =>
        new(spec.Algorithm, spec.Env, config, spec.Seed, BudgetOf(spec.Stop));

    /// <summary>The timestep budget a stop criterion sets (<c>timesteps_total</c>), or null.</summary>
    public static long? BudgetOf(IReadOnlyDictionary<string, double> stop) =>
        stop.TryGetValue("timesteps_total", out var total) && total >= 1 ? (long)Math.Ceiling(total) : null;
}

/// <summary>Creates a trial's algorithm by name; the plugin host implements it, tests use a fake.</summary>
public interface ITrialFactory
{
    /// <summary>Checks that the algorithm and environment exist, that the config binds onto the algorithm's options, and that every schedule has a budget.</summary>
    /// <exception cref="Research.Abstractions.Options.OptionsException">naming the key (and the nearest valid name) or the schedule without a budget.</exception>
    void Validate(TrialRequest request);

    /// <summary>Creates the algorithm on its environment as <paramref name="request"/> says, ready to <c>Train()</c> over its budget.</summary>
    IAlgorithm Create(TrialRequest request);
}
