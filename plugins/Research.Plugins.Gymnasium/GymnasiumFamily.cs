using Research.Abstractions.Environments;
using Research.Abstractions.Options;
using Research.Abstractions.Plugins;
using Research.Rl.VectorEnvs;

namespace Research.Plugins.Gymnasium;

/// <summary>
/// <c>gym:&lt;id&gt;</c> (<c>gym:CartPole-v1</c>, <c>gym:ALE/Pong-v5</c>, <c>gym:my_pkg:MyEnv-v0</c>) and <c>gym:module.path:callable</c>:
/// Gymnasium environments in Python worker processes behind the bridge protocol (docs/bridge-protocol.md). The config's
/// <c>env_kwargs</c> go to <c>gymnasium.make</c> (or the callable); <c>vec_env_kwargs</c> bind onto <see cref="GymnasiumOptions"/>.
/// </summary>
[EnvironmentFamily("gym", Options = typeof(GymnasiumOptions), Description = "Gymnasium environments in Python worker processes (the bridge).")]
public sealed class GymnasiumFamily : IEnvironmentFamily
{
    /// <summary>Where the Python package travels with the plugin.</summary>
    public static string BridgePath => Path.Combine(Path.GetDirectoryName(typeof(GymnasiumFamily).Assembly.Location)!, "python");

    /// <inheritdoc />
    public IEnv CreateEnvironment(string name, EnvironmentFamilyRequest request)
    {
        var options = Options(request);
        var workers = GymWorkers.Start(name, 1, PythonKwargs.ToJson(request.EnvKwargs), options with { Workers = 1, EnvsPerWorker = 0 }, BridgePath, out var ready);
        IEnv env;
        try
        {
            env = GymEnv.For(workers[0], 0, ready, ownsWorker: true);
        }
        catch
        {
            workers[0].Dispose();
            throw;
        }
        return request.WrapEach is { } wrap ? wrap(env, 0) : env;
    }

    /// <inheritdoc />
    public IVectorEnv CreateVectorEnvironment(string name, int count, EnvironmentFamilyRequest request)
    {
        var options = Options(request);
        var kwargs = PythonKwargs.ToJson(request.EnvKwargs);
        if (request.WrapEach is null) return new GymVectorEnv(name, count, kwargs, options, BridgePath);
        return GymWrappedVectorEnv.Create(name, count, kwargs, options, BridgePath, request.WrapEach);
    }

    private static GymnasiumOptions Options(EnvironmentFamilyRequest request) =>
        OptionsBinder.Bind<GymnasiumOptions>(request.FamilyKwargs, "vec_env_kwargs");
}
