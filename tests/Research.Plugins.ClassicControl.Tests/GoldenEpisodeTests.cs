using System.Text.Json;
using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.Wrappers;

namespace Research.Plugins.ClassicControl.Tests;

/// <summary>Replays every episode recorded from Gymnasium 1.3.0 and compares observations, rewards, flags and internal state.</summary>
public sealed class GoldenEpisodeTests
{
    private const double Tolerance = 1e-6;

    public static TheoryData<string, string, int> Episodes()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var id in EnvFactory.Ids)
        {
            using var document = Golden.Load(id);
            foreach (var set in new[] { "episodes", "policy_episodes", "episodes_nep50", "policy_episodes_nep50" })
                if (document.RootElement.TryGetProperty(set, out var episodes))
                    for (int i = 0; i < episodes.GetArrayLength(); i++) data.Add(id, set, i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Episodes))]
    public void Episode_matches_Gymnasium(string id, string set, int index)
    {
        using var document = Golden.Load(id);
        var root = document.RootElement;
        var episode = root.GetProperty(set)[index];
        var raw = EnvFactory.CreateRaw(id);
        using var env = new TimeLimit(raw, root.GetProperty("max_episode_steps").GetInt32());
        var state = new double[raw.StateSize];
        var observation = new float[env.ObservationSpace.FlatSize];
        var action = new float[env.ActionSpace.FlatSize];
        string where = $"{id} {set}[{index}] seed {episode.GetProperty("seed").GetInt32()}";

        env.Reset(observation, episode.GetProperty("seed").GetInt32());
        AssertClose(Golden.Doubles(episode.GetProperty("initial_obs")), observation, $"{where} initial obs");
        raw.CopyState(state);
        AssertClose(Golden.Doubles(episode.GetProperty("initial_state")), state, $"{where} initial state");

        var steps = episode.GetProperty("steps");
        Assert.Equal(episode.GetProperty("length").GetInt32(), steps.GetArrayLength());
        int comparedUntil = StepsBeforeRecordingsDiverge(root, set, index);
        foreach (var step in steps.EnumerateArray())
        {
            int t = step.GetProperty("t").GetInt32();
            string at = $"{where} t={t}";
            var recorded = step.GetProperty("action");
            action[0] = recorded.ValueKind == JsonValueKind.Array ? (float)recorded[0].GetDouble() : (float)recorded.GetDouble();
            var outcome = env.Step(action, observation);
            Assert.True(step.GetProperty("terminated").GetBoolean() == outcome.Terminated, $"{at}: terminated {outcome.Terminated}");
            Assert.True(step.GetProperty("truncated").GetBoolean() == outcome.Truncated, $"{at}: truncated {outcome.Truncated}");
            if (t >= comparedUntil) continue;
            AssertClose(Golden.Doubles(step.GetProperty("obs")), observation, $"{at} obs");
            AssertClose([step.GetProperty("reward").GetDouble()], [outcome.Reward], $"{at} reward");
            raw.CopyState(state);
            AssertClose(Golden.Doubles(step.GetProperty("state")), state, $"{at} state");
        }
        Assert.True(observation.Length > 0 && steps.GetArrayLength() > 0);

        var next = episode.GetProperty("next_reset_without_seed");
        env.Reset(observation);
        AssertClose(Golden.Doubles(next.GetProperty("obs")), observation, $"{where} next reset obs");
        raw.CopyState(state);
        AssertClose(Golden.Doubles(next.GetProperty("state")), state, $"{where} next reset state");
    }

    /// <summary>
    /// The step from which a NumPy 1 recording ("episodes", "policy_episodes") and its NumPy 2 twin ("…_nep50") differ by more
    /// than the tolerance: Pendulum is chaotic, so the 1e-8 per-step promotion difference grows to 5e-4 over 200 random steps
    /// and no single implementation can match both there. This port follows NumPy 2 and is compared with the NumPy 1
    /// recording for as long as the two recordings agree; the NumPy 2 recordings are compared at every step.
    /// </summary>
    private static int StepsBeforeRecordingsDiverge(JsonElement root, string set, int index)
    {
        if (set.EndsWith("_nep50", StringComparison.Ordinal) || !root.TryGetProperty(set + "_nep50", out var twins)) return int.MaxValue;
        var legacy = root.GetProperty(set)[index].GetProperty("steps");
        var modern = twins[index].GetProperty("steps");
        for (int t = 0; t < legacy.GetArrayLength(); t++)
        {
            var a = legacy[t];
            var b = modern[t];
            var left = Golden.Doubles(a.GetProperty("obs")).Concat(Golden.Doubles(a.GetProperty("state"))).Append(a.GetProperty("reward").GetDouble());
            var right = Golden.Doubles(b.GetProperty("obs")).Concat(Golden.Doubles(b.GetProperty("state"))).Append(b.GetProperty("reward").GetDouble());
            if (left.Zip(right).Any(p => Math.Abs(p.First - p.Second) > Tolerance * Math.Max(1, Math.Abs(p.Second)))) return t;
        }
        return int.MaxValue;
    }

    [Fact]
    public void Recordings_diverge_only_in_Pendulum_random_episode_of_seed_0()
    {
        foreach (var id in EnvFactory.Ids)
        {
            using var document = Golden.Load(id);
            foreach (var set in new[] { "episodes", "policy_episodes" })
                for (int i = 0; i < 2; i++)
                {
                    int until = StepsBeforeRecordingsDiverge(document.RootElement, set, i);
                    bool expected = id == "Pendulum-v1" && set == "episodes" && i == 0;
                    Assert.True(expected == (until != int.MaxValue), $"{id} {set}[{i}] recordings diverge from step {until}");
                    if (expected) Assert.InRange(until, 100, 200);
                }
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Spaces_and_registration_match_Gymnasium(string id)
    {
        using var document = Golden.Load(id);
        var root = document.RootElement;
        var env = EnvFactory.CreateRaw(id);
        var attribute = EnvFactory.Attribute(id);
        Assert.Equal(id, attribute.Id);
        Assert.Equal(root.GetProperty("max_episode_steps").GetInt32(), attribute.MaxEpisodeSteps);
        var threshold = root.GetProperty("reward_threshold");
        if (threshold.ValueKind == JsonValueKind.Null) Assert.True(double.IsNaN(attribute.RewardThreshold));
        else Assert.Equal(threshold.GetDouble(), attribute.RewardThreshold);
        Assert.Equal(Golden.NormalizeSpace(root.GetProperty("action_space").GetString()!), Golden.NormalizeSpace(env.ActionSpace.ToString()!));
        var box = Assert.IsType<Box>(env.ObservationSpace);
        var (low, high) = Golden.BoxBounds(root.GetProperty("observation_space").GetString()!);
        AssertClose(low, box.Low, $"{id} observation low", 1e-7);
        AssertClose(high, box.High, $"{id} observation high", 1e-7);
    }

    public static TheoryData<string> Ids() => new(EnvFactory.Ids);

    [Fact]
    public void CartPole_throws_where_Gymnasium_warns_after_termination()
    {
        using var document = Golden.Load("CartPole-v1");
        var recorded = document.RootElement.GetProperty("step_after_termination");
        Assert.Contains("No exception", recorded.GetProperty("description").GetString());
        var episode = document.RootElement.GetProperty("episodes")[0];
        using var env = new CartPoleEnv();
        var observation = new float[4];
        env.Reset(observation, 0);
        StepOutcome outcome = default;
        foreach (var step in episode.GetProperty("steps").EnumerateArray())
            outcome = env.Step([step.GetProperty("action").GetInt32()], observation);
        Assert.True(outcome.Terminated);
        var error = Assert.Throws<InvalidOperationException>(() => env.Step([0f], observation));
        Assert.Contains("CartPole-v1", error.Message);
        Assert.Contains("Reset", error.Message);
    }

    internal static void AssertClose(IReadOnlyList<double> expected, ReadOnlySpan<float> actual, string what, double tolerance = Tolerance)
    {
        var widened = new double[actual.Length];
        for (int i = 0; i < actual.Length; i++) widened[i] = actual[i];
        AssertClose(expected, widened, what, tolerance);
    }

    internal static void AssertClose(IReadOnlyList<double> expected, ReadOnlySpan<double> actual, string what, double tolerance = Tolerance)
    {
        Assert.True(expected.Count == actual.Length, $"{what}: expected {expected.Count} values, got {actual.Length}");
        for (int i = 0; i < actual.Length; i++)
        {
            double e = expected[i], a = actual[i];
            bool close = e == a || Math.Abs(e - a) <= tolerance * Math.Max(1, Math.Abs(e));
            Assert.True(close, $"{what}[{i}]: expected {e:R}, got {a:R} (difference {Math.Abs(e - a):E3})");
        }
    }
}
