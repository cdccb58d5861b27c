using System.Reflection;
using Research.Abstractions.Environments;
using Research.Abstractions.Experts;
using Research.Abstractions.Plugins;
using Research.Plugins.ClassicControl;

namespace Research.Plugins.Experts.Tests;

public sealed class ExpertRegistrationTests
{
    private static readonly Type[] ExpertTypes = typeof(CartPolePidExpert).Assembly.GetExportedTypes()
        .Where(t => typeof(IExpert).IsAssignableFrom(t) && !t.IsAbstract).ToArray();

    [Fact]
    public void EveryExpertIsRegisteredForAClassicControlEnvironmentAndCanBeCreated()
    {
        var environmentIds = typeof(CartPoleEnv).Assembly.GetExportedTypes()
            .Select(t => t.GetCustomAttribute<EnvironmentAttribute>()?.Id).OfType<string>().ToHashSet();
        var names = new List<string>();
        foreach (var type in ExpertTypes)
        {
            var attribute = type.GetCustomAttribute<ExpertAttribute>();
            Assert.NotNull(attribute);
            Assert.Contains(attribute.Environment, environmentIds);
            Assert.NotNull(type.GetConstructor(Type.EmptyTypes));
            names.Add(attribute.Name);
        }
        Assert.Equal(
            ["acrobot-energy", "cartpole-pid", "mountaincar-momentum", "mountaincarcontinuous-momentum", "pendulum-energy"],
            names.Order());
    }

    [Fact]
    public void EveryExpertActsWithinItsEnvironmentsActionSpace()
    {
        foreach (var type in ExpertTypes)
        {
            var expert = (IExpert)Activator.CreateInstance(type)!;
            using var env = CreateEnvironment(type.GetCustomAttribute<ExpertAttribute>()!.Environment);
            var (observation, _) = env.Reset(seed: 3);
            var action = new float[env.ActionSpace.FlatSize];
            for (int step = 0; step < 50; step++)
            {
                expert.Act(observation, action);
                Assert.True(env.ActionSpace.Contains(action), $"{type.Name}: {env.ActionSpace.Explain(action)}");
                var (next, _, terminated, _, _) = env.Step(action);
                if (terminated) break;
                observation = next;
            }
        }
    }

    [Fact]
    public void AWrongObservationLengthNamesTheExpert()
    {
        var error = Assert.Throws<ArgumentException>(() => new CartPolePidExpert().Act(new float[3], new float[1]));
        Assert.Contains("cartpole-pid", error.Message);
        Assert.Contains("4 elements, got 3", error.Message);
    }

    [Fact]
    public void AcrobotEnergyIsMinusAndPlusNineteenPointSixAtRestDownAndUp()
    {
        Assert.Equal(-19.6, AcrobotEnergyExpert.Energy(1, 0, 1, 0, 0, 0), 12);
        Assert.Equal(19.6, AcrobotEnergyExpert.Energy(-1, 0, 1, 0, 0, 0), 12);
        // Kinetic energy of the first joint alone: ½·d11·θ̇₁² with d11 = 0.25 + (1 + 0.25 + 1) + 2 = 4.5 when straight.
        Assert.Equal(-19.6 + 0.5 * 4.5 * 4, AcrobotEnergyExpert.Energy(1, 0, 1, 0, 2, 0), 12);
    }

    [Fact]
    public void CartPoleGainsComeFromTheOptions()
    {
        var observation = new float[] { 0, 0, 0.01f, 0 };
        var action = new float[1];
        new CartPolePidExpert().Act(observation, action);
        Assert.Equal(1f, action[0]);
        new CartPolePidExpert(new CartPolePidOptions { AngleGain = -10 }).Act(observation, action);
        Assert.Equal(0f, action[0]);
    }

    private static IEnv CreateEnvironment(string id) => id switch
    {
        "CartPole-v1" => new CartPoleEnv(),
        "Pendulum-v1" => new PendulumEnv(),
        "MountainCar-v0" => new MountainCarEnv(),
        "MountainCarContinuous-v0" => new ContinuousMountainCarEnv(),
        "Acrobot-v1" => new AcrobotEnv(),
        _ => throw new ArgumentException($"no environment {id}"),
    };
}
