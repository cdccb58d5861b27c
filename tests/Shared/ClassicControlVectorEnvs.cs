using Research.Plugins.ClassicControl;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;

namespace Research.Tests.Shared;

/// <summary>Vector envs of the registered classic-control environments (with their time limits), for algorithm tests.</summary>
internal static class ClassicControlVectorEnvs
{
    public static SyncVectorEnv CartPole(int n) => new(_ => new TimeLimit(new CartPoleEnv(), 500), n);

    public static SyncVectorEnv Pendulum(int n) => new(_ => new TimeLimit(new PendulumEnv(), 200), n);
}
