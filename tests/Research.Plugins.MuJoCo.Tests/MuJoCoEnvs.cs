using System.Reflection;
using System.Text.Json;
using Research.Abstractions.Plugins;
using Research.Rl.Wrappers;

namespace Research.Plugins.MuJoCo.Tests;

/// <summary>Creates the eleven environments by id, raw or as the registry does (inside their TimeLimit).</summary>
internal static class MuJoCoEnvs
{
    public static readonly string[] Ids =
    [
        "HalfCheetah-v4", "Hopper-v4", "Walker2d-v4", "Ant-v4", "Humanoid-v4", "HumanoidStandup-v4",
        "Reacher-v4", "Pusher-v4", "Swimmer-v4", "InvertedPendulum-v4", "InvertedDoublePendulum-v4",
    ];

    public static TheoryData<string> All() => new(Ids);

    public static MuJoCoEnv Create(string id) => id switch
    {
        "HalfCheetah-v4" => new HalfCheetahEnv(),
        "Hopper-v4" => new HopperEnv(),
        "Walker2d-v4" => new Walker2dEnv(),
        "Ant-v4" => new AntEnv(),
        "Humanoid-v4" => new HumanoidEnv(),
        "HumanoidStandup-v4" => new HumanoidStandupEnv(),
        "Reacher-v4" => new ReacherEnv(),
        "Pusher-v4" => new PusherEnv(),
        "Swimmer-v4" => new SwimmerEnv(),
        "InvertedPendulum-v4" => new InvertedPendulumEnv(),
        "InvertedDoublePendulum-v4" => new InvertedDoublePendulumEnv(),
        _ => throw new ArgumentException($"unknown id {id}"),
    };

    public static EnvironmentAttribute Attribute(string id) =>
        TypeOf(id).GetCustomAttribute<EnvironmentAttribute>() ?? throw new InvalidOperationException($"{id} has no attribute");

    public static TimeLimit CreateLimited(string id) => new(Create(id), Attribute(id).MaxEpisodeSteps);

    public static Type TypeOf(string id) => typeof(MuJoCoEnv).Assembly.GetTypes()
        .Single(t => t.GetCustomAttribute<EnvironmentAttribute>()?.Id == id);

    /// <summary>A golden file of the oracle scripts under tools/mujoco.</summary>
    public static JsonDocument Golden(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "golden", file)));

    public static double[] Doubles(this JsonElement element) => element.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    /// <summary>Uniform actions over 1.5 times the action range (out-of-range actions reach MuJoCo unclipped, as in Gymnasium).</summary>
    public static float[][] Actions(MuJoCoEnv env, int count, int seed)
    {
        var random = new Random(seed);
        var box = (Research.Abstractions.Spaces.Box)env.ActionSpace;
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, box.FlatSize).Select(i =>
        {
            float low = box.Low[i], high = box.High[i], middle = (low + high) / 2, half = (high - low) / 2 * 1.5f;
            return middle + half * (float)(2 * random.NextDouble() - 1);
        }).ToArray()).ToArray();
    }

    /// <summary>Bitwise equality of doubles with a message naming the position.</summary>
    public static void Same(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }

    public static void Same(double expected, double actual, string what) => Same([expected], [actual], what);
}
