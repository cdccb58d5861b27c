using Research.Abstractions.Environments;
using Research.Plugins.Box2D.BipedalWalker;
using Research.Plugins.Box2D.CarRacing;
using Research.Plugins.Box2D.LunarLander;
using Research.Rl.Wrappers;

namespace Research.Plugins.Box2D.Tests;

/// <summary>The Box2D environments and variants the tests run, by a short name.</summary>
internal static class Envs
{
    public static readonly string[] Names =
        ["LunarLander", "LunarLanderContinuous", "LunarLanderWind", "BipedalWalker", "BipedalWalkerHardcore", "CarRacing", "CarRacingDiscrete"];

    public static TheoryData<string> All() => new(Names);

    public static IEnv Create(string name) => name switch
    {
        "LunarLander" => new LunarLanderEnv(),
        "LunarLanderContinuous" => new LunarLanderContinuousEnv(),
        "LunarLanderWind" => new LunarLanderEnv(new LunarLanderOptions { EnableWind = true, Continuous = true }),
        "BipedalWalker" => new BipedalWalkerEnv(),
        "BipedalWalkerHardcore" => new BipedalWalkerHardcoreEnv(),
        "CarRacing" => new CarRacingEnv(),
        "CarRacingDiscrete" => new CarRacingEnv(new CarRacingOptions { Continuous = false }),
        _ => throw new ArgumentException(name),
    };

    /// <summary>With the registry's time limit, as the host creates them.</summary>
    public static IEnv CreateLimited(string name) => new TimeLimit(Create(name), name.StartsWith("BipedalWalker", StringComparison.Ordinal) ? 1600 : 1000);

    /// <summary>A reproducible random action of the env's space.</summary>
    public static void RandomAction(IEnv env, Random random, Span<float> action)
    {
        if (env.ActionSpace is Research.Abstractions.Spaces.Discrete discrete) action[0] = random.Next(discrete.N);
        else env.ActionSpace.Sample(random, action);
    }
}
