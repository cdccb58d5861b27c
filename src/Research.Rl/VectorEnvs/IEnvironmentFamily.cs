using Research.Abstractions.Environments;

namespace Research.Rl.VectorEnvs;

/// <summary>
/// A plugin that creates the environments of a whole family, named <c>prefix:name</c> — such as <c>gym:ALE/Pong-v5</c> for
/// Gymnasium environments in Python worker processes — and may build a vector env of them itself (to step its workers in
/// parallel). Mark the class with <c>[EnvironmentFamily("prefix")]</c>; it needs a public parameterless constructor.
/// </summary>
public interface IEnvironmentFamily
{
    /// <summary>Creates one environment named <paramref name="name"/> (the id without the prefix), wrapped with <see cref="EnvironmentFamilyRequest.WrapEach"/> when given.</summary>
    IEnv CreateEnvironment(string name, EnvironmentFamilyRequest request);

    /// <summary>Creates <paramref name="count"/> copies as one vector env; env i is wrapped with <see cref="EnvironmentFamilyRequest.WrapEach"/>(env, i) when given.</summary>
    IVectorEnv CreateVectorEnvironment(string name, int count, EnvironmentFamilyRequest request);
}

/// <summary>What to create, besides the name.</summary>
/// <param name="EnvKwargs">The environment's own arguments (the config's <c>env_kwargs</c>), passed on as the family defines.</param>
/// <param name="FamilyKwargs">The family's options (the config's <c>vec_env_kwargs</c>), bound onto the options type its attribute names.</param>
/// <param name="WrapEach">Wrappers applied to each environment (env, index), e.g. Stable-Baselines' AtariWrapper; null for none.</param>
public sealed record EnvironmentFamilyRequest(
    IReadOnlyDictionary<string, object?> EnvKwargs,
    IReadOnlyDictionary<string, object?> FamilyKwargs,
    Func<IEnv, int, IEnv>? WrapEach = null);

/// <summary>
/// A vector env whose environments cannot be saved (Python envs behind the Gymnasium bridge). Its <c>IStateful</c> state
/// records only that; a run restored from a checkpoint starts fresh episodes in fresh environments, as Stable-Baselines3
/// does after <c>load</c>, while wrappers above it (VecNormalize statistics, …) and the algorithm are restored exactly.
/// </summary>
public interface INonRestorableVectorEnv : IVectorEnv
{
    /// <summary>Why the environments' state is not saved (written into checkpoints).</summary>
    string NotRestorableReason { get; }
}

/// <summary>A vector env that wraps another (so a wrapper stack can be searched).</summary>
public interface IVectorEnvWrapper : IVectorEnv
{
    /// <summary>The wrapped vector env.</summary>
    IVectorEnv Inner { get; }
}

/// <summary>Searches vector-env wrapper stacks.</summary>
public static class VectorEnvStack
{
    /// <summary>The first vector env of type <typeparamref name="T"/> from <paramref name="env"/> inwards, or null.</summary>
    public static T? Find<T>(IVectorEnv env) where T : class
    {
        for (IVectorEnv? e = env; e is not null; e = (e as IVectorEnvWrapper)?.Inner)
            if (e is T found) return found;
        return null;
    }
}
