using Research.Plugins.ClassicControl;
using Research.Plugins.Experts;
using Research.Rl.Imitation;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;

namespace Research.Plugins.Imitation.Tests;

/// <summary>Expert recordings made once per test run in a temporary folder, and the environments they come from.</summary>
internal static class ExpertData
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("imitation-tests-").FullName;
    private static readonly Lazy<string> CartPoleFile = new(() => Record(new CartPolePidExpert(), CartPoleEnv(), "cartpole-pid", 10));
    private static readonly Lazy<string> PendulumFile = new(() => Record(new PendulumEnergyExpert(), PendulumEnv(), "pendulum-energy", 10));

    /// <summary>10 episodes of <c>cartpole-pid</c> (every one 500 steps), first reset seeded 0.</summary>
    public static string CartPole => CartPoleFile.Value;

    /// <summary>10 episodes of <c>pendulum-energy</c>, first reset seeded 0.</summary>
    public static string Pendulum => PendulumFile.Value;

    public static TimeLimit CartPoleEnv() => new(new CartPoleEnv(), 500);

    public static TimeLimit PendulumEnv() => new(new PendulumEnv(), 200);

    public static SyncVectorEnv CartPoleVec(int n = 1) => new(_ => CartPoleEnv(), n);

    public static SyncVectorEnv PendulumVec(int n = 1) => new(_ => PendulumEnv(), n);

    /// <summary>A fresh path in the run's temporary folder.</summary>
    public static string TempPath(string name) => Path.Combine(Folder, $"{Guid.NewGuid():N}-{name}");

    private static string Record(Abstractions.Experts.IExpert expert, TimeLimit env, string name, int episodes)
    {
        string path = Path.Combine(Folder, name + ".npz");
        ExpertRecorder.Record(expert, env, new ExpertRecorderOptions { NEpisodes = episodes, Seed = 0 }, path);
        return path;
    }
}
