using Research.Abstractions.Plugins;
using Research.Plugins.ClassicControl;
using Research.Rl.Wrappers;
using System.Reflection;

namespace Research.Plugins.ClassicControl.Tests;

/// <summary>Creates the five environments by id, as the registry does (with the TimeLimit of their attribute).</summary>
internal static class EnvFactory
{
    public static readonly string[] Ids = ["CartPole-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Pendulum-v1", "Acrobot-v1"];

    public static ClassicControlEnv CreateRaw(string id) => id switch
    {
        "CartPole-v1" => new CartPoleEnv(),
        "MountainCar-v0" => new MountainCarEnv(),
        "MountainCarContinuous-v0" => new ContinuousMountainCarEnv(),
        "Pendulum-v1" => new PendulumEnv(),
        "Acrobot-v1" => new AcrobotEnv(),
        _ => throw new ArgumentException($"unknown id {id}"),
    };

    public static EnvironmentAttribute Attribute(string id) =>
        CreateRaw(id).GetType().GetCustomAttribute<EnvironmentAttribute>() ?? throw new InvalidOperationException($"{id} has no attribute");

    public static TimeLimit CreateLimited(string id) => new(CreateRaw(id), Attribute(id).MaxEpisodeSteps);
}
