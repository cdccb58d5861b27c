using System.Text.Json;
using Research.Abstractions.Spaces;
using Research.Rl.Algorithms;

namespace Research.Rl.Tests.Algorithms;

public class SpaceJsonTests
{
    public static TheoryData<Space> Spaces() =>
    [
        new Box([-1f, float.NegativeInfinity], [1f, float.PositiveInfinity]),
        new Box(0, 255, [3, 4, 4], "uint8"),
        new Discrete(5, start: -2),
        new MultiDiscrete([3, 2, 4]),
        new MultiBinary(6),
        new DictSpace([new("position", new Box(-1, 1, [2])), new("mode", new Discrete(3))]),
    ];

    [Theory]
    [MemberData(nameof(Spaces))]
    public void Every_space_kind_round_trips(Space space)
    {
        using var document = JsonDocument.Parse(SpaceJson.ToJson(space).ToJsonString());
        var back = SpaceJson.FromJson(document.RootElement, "test");
        Assert.Equal(space.ToString(), back.ToString());
        Assert.True(SpaceJson.AreEqual(space, back));
    }

    [Fact]
    public void Different_bounds_are_not_equal_and_unknown_types_fail_naming_the_source()
    {
        Assert.False(SpaceJson.AreEqual(new Box(-1, 1, [2]), new Box(-2, 1, [2])));
        using var document = JsonDocument.Parse("""{"type":"Tuple"}""");
        var e = Assert.Throws<ModelFormatException>(() => SpaceJson.FromJson(document.RootElement, "model.zip"));
        Assert.Contains("model.zip", e.Message);
        Assert.Contains("Tuple", e.Message);
    }

    [Fact]
    public void Unsupported_action_spaces_name_the_algorithms_that_support_them()
    {
        var e = Assert.Throws<UnsupportedSpaceException>(() => SpaceSupport.EnsureActionSpace("DQN", new Box(-1, 1, [2])));
        Assert.Contains("DQN does not support the action space", e.Message);
        Assert.Contains("PPO, A2C, SAC, TD3, DDPG", e.Message);
        var dict = new DictSpace([new("a", new Discrete(2))]);
        Assert.Contains("no algorithm here supports DictSpace action spaces",
            Assert.Throws<UnsupportedSpaceException>(() => SpaceSupport.EnsureActionSpace("PPO", dict)).Message);
        SpaceSupport.EnsureActionSpace("DQN", new Discrete(2));
    }
}
