using System.Text.Json;
using Research.Abstractions.Spaces;

namespace Research.Plugins.MuJoCo.Tests;

/// <summary>Spaces as Gymnasium declares them, and reset(seed) giving Gymnasium's initial state from NumPy's draws (tools/mujoco/make_reset_golden.py).</summary>
public sealed class ResetTests
{
    // Gymnasium 0.29.1: observation shape, action dimension, action bounds (from each model's ctrlrange).
    public static TheoryData<string, int, int, float> Spaces() => new()
    {
        { "HalfCheetah-v4", 17, 6, 1f },
        { "Hopper-v4", 11, 3, 1f },
        { "Walker2d-v4", 17, 6, 1f },
        { "Ant-v4", 27, 8, 1f },
        { "Humanoid-v4", 376, 17, 0.4f },
        { "HumanoidStandup-v4", 376, 17, 0.4f },
        { "Reacher-v4", 11, 2, 1f },
        { "Pusher-v4", 23, 7, 2f },
        { "Swimmer-v4", 8, 2, 1f },
        { "InvertedPendulum-v4", 4, 1, 3f },
        { "InvertedDoublePendulum-v4", 11, 1, 1f },
    };

    [Theory]
    [MemberData(nameof(Spaces))]
    public void Spaces_are_Gymnasium_s(string id, int observationSize, int actionSize, float bound)
    {
        using var env = MuJoCoEnvs.Create(id);
        var observation = Assert.IsType<Box>(env.ObservationSpace);
        Assert.Equal([observationSize], observation.Shape);
        Assert.Equal("float64", observation.DType);
        Assert.All(observation.Low, v => Assert.Equal(float.NegativeInfinity, v));
        var action = Assert.IsType<Box>(env.ActionSpace);
        Assert.Equal("float32", action.DType);
        Assert.Equal(Enumerable.Repeat(-bound, actionSize), action.Low);
        Assert.Equal(Enumerable.Repeat(bound, actionSize), action.High);
    }

    [Fact]
    public void Options_change_the_observation_as_in_Gymnasium()
    {
        using var cheetah = new HalfCheetahEnv(new HalfCheetahOptions { ExcludeCurrentPositionsFromObservation = false });
        using var hopper = new HopperEnv(new HopperOptions { ExcludeCurrentPositionsFromObservation = false });
        using var walker = new Walker2dEnv(new Walker2dOptions { ExcludeCurrentPositionsFromObservation = false });
        using var ant = new AntEnv(new AntOptions { UseContactForces = true });
        using var antAll = new AntEnv(new AntOptions { UseContactForces = true, ExcludeCurrentPositionsFromObservation = false });
        using var humanoid = new HumanoidEnv(new HumanoidOptions { ExcludeCurrentPositionsFromObservation = false });
        using var swimmer = new SwimmerEnv(new SwimmerOptions { ExcludeCurrentPositionsFromObservation = false });
        Assert.Equal([18, 12, 18, 111, 113, 378, 10],
            new MuJoCoEnv[] { cheetah, hopper, walker, ant, antAll, humanoid, swimmer }.Select(e => e.ObservationSpace.FlatSize));
        Assert.Equal(0.05, cheetah.Dt, 15);
        Assert.Equal(0.008, hopper.Dt, 15);
    }

    public static TheoryData<string, int> Seeds()
    {
        var data = new TheoryData<string, int>();
        foreach (var id in MuJoCoEnvs.Ids)
            foreach (int seed in new[] { 0, 1, 123 }) data.Add(id, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Seeded_reset_is_Gymnasium_s_initial_state(string id, int seed)
    {
        using var golden = MuJoCoEnvs.Golden("mujoco_reset_draws.json");
        var draws = golden.RootElement.GetProperty("envs").GetProperty(id).GetProperty(seed.ToString());
        using var env = MuJoCoEnvs.Create(id);
        var initQpos = env.Model.Qpos0.ToArray();
        var initQvel = new double[env.Model.Nv];
        var (qpos, qvel) = Expected(id, draws, initQpos, initQvel);
        // set_state then runs mj_forward, which in MuJoCo 2.2.2 normalises free-joint quaternions in qpos in place.
        using (var reference = new Research.Plugins.MuJoCo.Native.MjData(env.Model))
        {
            qpos.CopyTo(reference.Qpos);
            qvel.CopyTo(reference.Qvel);
            reference.Forward();
            qpos = reference.Qpos.ToArray();
        }

        env.Reset(seed: seed);
        MuJoCoEnvs.Same(qpos, env.Data.Qpos, $"{id} seed {seed} qpos");
        MuJoCoEnvs.Same(qvel, env.Data.Qvel, $"{id} seed {seed} qvel");
        Assert.Equal(0.0, env.Data.Time);
        Assert.Empty(env.Info);

        // The same seed again, on a used environment, gives the same state.
        env.Step(new float[env.ActionSpace.FlatSize]);
        env.Reset(seed: seed);
        MuJoCoEnvs.Same(qpos, env.Data.Qpos, $"{id} seed {seed} qpos after a second seeded reset");
    }

    [Theory]
    [InlineData("HalfCheetah-v4", 0.1)]
    [InlineData("Hopper-v4", 5e-3)]
    public void An_unseeded_reset_continues_the_stream(string id, double scale)
    {
        using var golden = MuJoCoEnvs.Golden("mujoco_reset_draws.json");
        double next = golden.RootElement.GetProperty("envs").GetProperty(id).GetProperty("0").GetProperty("next_random").GetDouble();
        using var env = MuJoCoEnvs.Create(id);
        env.Reset(seed: 0);
        env.Reset();
        MuJoCoEnvs.Same(env.Model.Qpos0[0] + (-scale + (scale - -scale) * next), env.Data.Qpos[0], $"{id} qpos[0] of the second reset");
    }

    [Fact]
    public void Negative_seeds_are_refused_as_in_Gymnasium()
    {
        using var env = new SwimmerEnv();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => env.Reset(seed: -1));
        Assert.Contains("Swimmer-v4", error.Message);
    }

    // Each reset_model of Gymnasium 0.29.1, applied to the recorded draws.
    private static (double[] Qpos, double[] Qvel) Expected(string id, JsonElement draws, double[] initQpos, double[] initQvel)
    {
        double[] Add(double[] init, double[] noise) => init.Select((v, i) => v + noise[i]).ToArray();
        double[] AddScaled(double[] init, double scale, double[] normal) => init.Select((v, i) => v + scale * normal[i]).ToArray();
        switch (id)
        {
            case "HalfCheetah-v4":
            case "Ant-v4":
                return (Add(initQpos, draws.GetProperty("qpos_noise").Doubles()), AddScaled(initQvel, 0.1, draws.GetProperty("qvel_normal").Doubles()));
            case "InvertedDoublePendulum-v4":
                return (Add(initQpos, draws.GetProperty("qpos_noise").Doubles()),
                        initQvel.Select((v, i) => v + draws.GetProperty("qvel_normal").Doubles()[i] * 0.1).ToArray());
            case "Reacher-v4":
            {
                var qpos = draws.GetProperty("qpos_noise").Doubles().Select((v, i) => v + initQpos[i]).ToArray();
                draws.GetProperty("goal").Doubles().CopyTo(qpos, qpos.Length - 2);
                var qvel = Add(initQvel, draws.GetProperty("qvel_noise").Doubles());
                qvel[^1] = qvel[^2] = 0;
                return (qpos, qvel);
            }
            case "Pusher-v4":
            {
                var qpos = (double[])initQpos.Clone();
                draws.GetProperty("cylinder").Doubles().CopyTo(qpos, qpos.Length - 4);
                qpos[^2] = qpos[^1] = 0;
                var qvel = Add(initQvel, draws.GetProperty("qvel_noise").Doubles());
                qvel.AsSpan(qvel.Length - 4).Clear();
                return (qpos, qvel);
            }
            default:
                return (Add(initQpos, draws.GetProperty("qpos_noise").Doubles()), Add(initQvel, draws.GetProperty("qvel_noise").Doubles()));
        }
    }
}
