using System.Text.Json.Nodes;
using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Plugins.ClassicControl;
using Research.Rl.Bridge;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;

namespace Research.Plugins.Gymnasium.Tests;

public sealed class GymVectorEnvTests
{
    [Fact]
    public void The_CartPole_port_seeded_through_the_bridge_follows_the_CSharp_CartPole_bit_for_bit()
    {
        // Two workers, env i seeded with 7 + i: the same observations, rewards and ends as the C# env stepped with the same actions.
        using var bridged = Bridge.Vector("CartPole", 4, workers: 2);
        using var local = new SyncVectorEnv(_ => new TimeLimit(new CartPoleEnv(), 500), 4);
        Assert.Equal(2, bridged.WorkerCount);
        Assert.Equal("Discrete(2)", bridged.SingleActionSpace.ToString());
        bridged.Reset(seed: 7);
        local.Reset(seed: 7);
        Assert.Equal(local.Observations, bridged.Observations);
        var actions = new float[4];
        int ended = 0;
        for (int t = 0; t < 300; t++)
        {
            for (int i = 0; i < 4; i++) actions[i] = (t * 7 + i * 3) / 5 % 2;
            bridged.Step(actions);
            local.Step(actions);
            Assert.Equal(local.Observations, bridged.Observations);
            Assert.Equal(local.Rewards, bridged.Rewards);
            Assert.Equal(local.Terminated, bridged.Terminated);
            Assert.Equal(local.Truncated, bridged.Truncated);
            Assert.Equal(local.CompletedEpisodes, bridged.CompletedEpisodes);
            for (int i = 0; i < 4; i++)
                if (local.Terminated[i] || local.Truncated[i])
                {
                    Assert.Equal(local.TerminalObservations.AsSpan(4 * i, 4).ToArray(), bridged.TerminalObservations.AsSpan(4 * i, 4).ToArray());
                    ended++;
                }
        }
        Assert.True(ended > 10, $"only {ended} episodes ended");
    }

    [Fact]
    public void Ended_episodes_autoreset_as_SB3_with_the_terminal_observation_kept_and_truncation_flagged()
    {
        // Env 0 terminates at step 3, env 1 truncates at step 2 (TimeLimit.truncated: truncated and not terminated).
        using var terminating = Bridge.Vector("Counting", 1, kwargs: new JsonObject { ["terminate_at"] = 3, ["truncate_at"] = 100 });
        using var truncating = Bridge.Vector("Counting", 1, kwargs: new JsonObject { ["terminate_at"] = 100, ["truncate_at"] = 2 });
        terminating.Reset(seed: 5);
        Assert.Equal([0f, 0f], terminating.Observations);
        Assert.Equal(5L, terminating.Envs[0].Info["seed"]);
        terminating.Step([2f]);
        terminating.Step([1f]);
        Assert.Equal([0f, 2f], terminating.Observations);
        terminating.Step([0f]);
        Assert.True(terminating.Terminated[0]);
        Assert.False(terminating.Truncated[0]);
        Assert.Equal([0f, 3f], terminating.TerminalObservations);
        Assert.Equal([1f, 0f], terminating.Observations);  // the next episode's first observation
        var episode = Assert.Single(terminating.CompletedEpisodes);
        Assert.Equal((0, 2.5 + 1.5 + 0.5, 3), (episode.EnvIndex, episode.Return, episode.Length));

        truncating.Reset();
        truncating.Step([0f]);
        truncating.Step([0f]);
        Assert.True(truncating.Truncated[0]);
        Assert.False(truncating.Terminated[0]);
        Assert.Equal([0f, 2f], truncating.TerminalObservations);
        Assert.Equal([1f, 0f], truncating.Observations);
        // The info of the terminal step, scalars only (a string and an array are left out).
        var info = truncating.Envs[0].Info;
        Assert.Equal(2L, info["step"]);
        Assert.Equal(true, info["even"]);
        Assert.Equal(3L, info["lives"]);
        Assert.False(info.ContainsKey("text"));
        Assert.False(info.ContainsKey("array"));
    }

    [Fact]
    public void Dict_and_Tuple_spaces_map_onto_the_flat_encoding_in_both_directions()
    {
        using var env = Bridge.Vector("Structured", 1);
        Assert.Equal(
            "Dict('position': Box(-1, 1, (2,), float32), 'mode': Discrete(3, start=1), 'flags': MultiBinary(3), " +
            "'pair': Dict('0': Discrete(5), '1': Box(0, 10, (1,), int32)))", env.SingleObservationSpace.ToString());
        Assert.Equal("Dict('0': Discrete(2), '1': Box(-2, 2, (2,), float32), '2': MultiDiscrete([3, 4]))", env.SingleActionSpace.ToString());
        env.Reset(seed: 0);
        Assert.Equal([0f, 0f, 1f, 0f, 1f, 1f, 0f, 10f], env.Observations);
        // choice 1, move (1, -0.5), MultiDiscrete 0-based (2, 1) = Python's start + value: (1, 11).
        env.Step([1f, 1f, -0.5f, 2f, 1f]);
        Assert.Equal([0.5f, -0.25f, 2f, 1f, 0f, 0f, 1f, 11f], env.Observations);
        Assert.Equal(0.5f, env.Rewards[0]);
        Assert.Equal(1L, env.Envs[0].Info["choice"]);
    }

    [Fact]
    public void Image_observations_arrive_exactly_and_a_step_allocates_nothing()
    {
        using var env = Bridge.Vector("Images", 4, workers: 2, kwargs: new JsonObject { ["length"] = 1000 });
        Assert.Equal("Box(0, 255, (84, 84, 3), uint8)", env.SingleObservationSpace.ToString());
        env.Reset(seed: 0);
        var actions = new float[4];
        for (int t = 0; t < 20; t++) env.Step(actions);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 50; t++) env.Step(actions);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        for (int k = 0; k < 84 * 84 * 3; k += 97) Assert.Equal((70 * 7 + k) % 256, env.Observations[3 * 84 * 84 * 3 + k]);
    }

    [Fact]
    public void Printing_in_an_env_goes_to_standard_error_not_into_the_protocol()
    {
        using var env = Bridge.Vector("Counting", 2, kwargs: new JsonObject { ["print_each_step"] = true });
        env.Reset(seed: 1);
        for (int t = 0; t < 5; t++) env.Step([0f, 1f]);
        Assert.Equal([0f, 5f, 0f, 5f], env.Observations);
    }

    [Fact]
    public void Seeds_are_seed_plus_index_and_the_first_unseeded_reset_draws_its_own()
    {
        using var env = Bridge.Vector("Counting", 3, workers: 2);
        env.Reset(seed: 40);
        Assert.Equal([40L, 41L, 42L], env.Envs.Select(e => (long)e.Info["seed"]).ToArray());
        env.Reset();
        Assert.All(env.Envs, e => Assert.Equal(-1L, e.Info["seed"]));
    }

    [Fact]
    public void A_space_the_contract_cannot_represent_is_refused_by_name()
    {
        var error = Assert.Throws<UnrepresentableSpaceException>(() => Bridge.Vector("TextObservations", 1));
        Assert.StartsWith("observation_space['name'] is Text(1, 10, charset=abc), a Gymnasium Text space, which the flat float contract cannot represent", error.Message);
    }
}
