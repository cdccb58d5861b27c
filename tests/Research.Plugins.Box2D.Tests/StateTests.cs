using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Plugins.Box2D.LunarLander;
using Research.Rl.VectorEnvs;

namespace Research.Plugins.Box2D.Tests;

/// <summary>Saved states replay the episode on a fresh Box2D world, so a restored environment continues bit for bit.</summary>
public sealed class StateTests
{
    [Theory]
    [MemberData(nameof(Envs.All), MemberType = typeof(Envs))]
    public void A_restored_env_continues_exactly_as_the_original(string name)
    {
        using var original = Envs.Create(name);
        var obs = new float[original.ObservationSpace.FlatSize];
        var action = new float[original.ActionSpace.FlatSize];
        var random = new Random(7);
        original.Reset(obs, seed: 3);
        int before = name.StartsWith("CarRacing", StringComparison.Ordinal) ? 60 : 150;
        for (int t = 0; t < before; t++)
        {
            Envs.RandomAction(original, random, action);
            if (original.Step(action, obs).Done) original.Reset(obs);
        }
        using var saved = new MemoryStream();
        ((IStateful)original).WriteState(new BinaryWriter(saved));

        using var restored = Envs.Create(name);
        saved.Position = 0;
        ((IStateful)restored).ReadState(new BinaryReader(saved));

        var obsRestored = new float[obs.Length];
        var actionRandom = new Random(11);
        for (int t = 0; t < 80; t++)
        {
            Envs.RandomAction(original, actionRandom, action);
            var a = original.Step(action, obs);
            var b = restored.Step(action, obsRestored);
            Assert.Equal(a, b);
            Assert.True(obs.AsSpan().SequenceEqual(obsRestored), $"{name}: observations differ {t} steps after the restore");
            if (a.Done)
            {
                original.Reset(obs);
                restored.Reset(obsRestored);
                Assert.True(obs.AsSpan().SequenceEqual(obsRestored), $"{name}: the next episode after a restore starts differently");
            }
        }
    }

    [Fact]
    public void A_vector_env_checkpoint_restores_every_env()
    {
        using var vector = new SyncVectorEnv([Envs.CreateLimited("LunarLander"), Envs.CreateLimited("LunarLander")]);
        vector.Reset(seed: 5);
        var actions = new float[2];
        var random = new Random(1);
        for (int t = 0; t < 120; t++)
        {
            actions[0] = random.Next(4);
            actions[1] = random.Next(4);
            vector.Step(actions);
        }
        using var saved = new MemoryStream();
        vector.WriteState(new BinaryWriter(saved));
        using var restored = new SyncVectorEnv([Envs.CreateLimited("LunarLander"), Envs.CreateLimited("LunarLander")]);
        saved.Position = 0;
        restored.ReadState(new BinaryReader(saved));
        for (int t = 0; t < 200; t++)
        {
            actions[0] = random.Next(4);
            actions[1] = random.Next(4);
            vector.Step(actions);
            restored.Step(actions);
            Assert.True(vector.Observations.SequenceEqual(restored.Observations), $"step {t}");
            Assert.True(vector.Rewards.SequenceEqual(restored.Rewards), $"step {t}");
        }
    }

    [Fact]
    public void A_state_of_another_environment_is_refused_by_name()
    {
        using var walker = Envs.Create("BipedalWalker");
        walker.Reset(new float[24], seed: 0);
        using var saved = new MemoryStream();
        ((IStateful)walker).WriteState(new BinaryWriter(saved));
        using var lander = Envs.Create("LunarLander");
        saved.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => ((IStateful)lander).ReadState(new BinaryReader(saved)));
        Assert.Contains("belongs to 'BipedalWalker-v3'", error.Message);
    }

    [Fact]
    public void A_state_whose_replay_diverges_is_refused()
    {
        using var lander = new LunarLanderEnv();
        var obs = new float[8];
        lander.Reset(obs, seed: 0);
        for (int t = 0; t < 20; t++) lander.Step([2f], obs);
        using var saved = new MemoryStream();
        lander.WriteState(new BinaryWriter(saved));
        var bytes = saved.ToArray();
        // Flip the phase to "terminated": replaying 20 main-engine steps does not end the episode.
        int phase = 1 + System.Text.Encoding.UTF8.GetByteCount(lander.Id);
        bytes[phase] = 2;
        using var restored = new LunarLanderEnv();
        var error = Assert.Throws<InvalidDataException>(() => restored.ReadState(new BinaryReader(new MemoryStream(bytes))));
        Assert.Contains("did not reach the saved state", error.Message);
    }

    [Fact]
    public void Rendering_never_changes_the_lander_s_physics()
    {
        using var plain = new LunarLanderEnv();
        using var drawn = new LunarLanderEnv();
        var a = new float[8];
        var b = new float[8];
        plain.Reset(a, seed: 9);
        drawn.Reset(b, seed: 9);
        var random = new Random(2);
        for (int t = 0; t < 300; t++)
        {
            float action = random.Next(4);
            drawn.Render();
            var x = plain.Step([action], a);
            var y = drawn.Step([action], b);
            Assert.Equal(x, y);
            Assert.True(a.AsSpan().SequenceEqual(b), $"step {t}");
            if (x.Done) break;
        }
    }

    [Fact]
    public void Same_seed_same_episode_and_the_next_unseeded_reset_continues_the_stream()
    {
        float[] Run(int? seed, IEnv env)
        {
            var obs = new float[env.ObservationSpace.FlatSize];
            env.Reset(obs, seed);
            for (int t = 0; t < 50; t++) env.Step([0f, 0.5f, 0f, 1f], obs);
            return obs;
        }
        using var first = Envs.Create("BipedalWalkerHardcore");
        using var second = Envs.Create("BipedalWalkerHardcore");
        Assert.Equal(Run(4, first), Run(4, second));
        Assert.Equal(Run(null, first), Run(null, second));
        Assert.NotEqual(Run(4, first), Run(5, second));
    }
}
