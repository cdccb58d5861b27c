using Research.Abstractions.Spaces;

namespace Research.Abstractions.Tests;

public class SpaceTests
{
    private static readonly Box Bounded = new([-1f, 0f], [1f, 2f]);

    [Fact]
    public void Box_contains_values_within_its_bounds_only()
    {
        Assert.True(Bounded.Contains([0f, 2f]));
        Assert.Equal("element 1 = 2.5 is outside [0, 2]", Bounded.Explain([0f, 2.5f]));
        Assert.Equal("element 0 is NaN", Bounded.Explain([float.NaN, 0f]));
        Assert.Equal("expected 2 element(s), got 3", Bounded.Explain([0f, 0f, 0f]));
        Assert.Equal("element 0 = 1.5 is not an integer of dtype uint8", new Box(0, 255, [1], "uint8").Explain([1.5f]));
    }

    [Fact]
    public void Box_rejects_inconsistent_bounds_and_shapes()
    {
        Assert.Equal("Box: low has 2 elements but high has 1.", Assert.Throws<ArgumentException>(() => new Box([0f, 0f], [1f])).Message);
        Assert.Equal("Box: shape (3,) does not hold 2 elements.", Assert.Throws<ArgumentException>(() => new Box([0f, 0f], [1f, 1f], [3])).Message);
        Assert.Equal("Box: low[0] = 2 is above high[0] = 1.", Assert.Throws<ArgumentException>(() => new Box([2f], [1f])).Message);
    }

    [Fact]
    public void Discrete_and_multi_spaces_explain_what_is_wrong()
    {
        var discrete = new Discrete(3, start: 1);
        Assert.True(discrete.Contains([3f]));
        Assert.Equal("expected an integer in [1, 3]", discrete.Explain([0f]));
        Assert.Equal("it is not an integer", discrete.Explain([1.5f]));
        Assert.Equal("element 1 = 3 is not an integer in [0, 2]", new MultiDiscrete([2, 3]).Explain([1f, 3f]));
        Assert.Equal("element 0 = 2 is not 0 or 1", new MultiBinary(2).Explain([2f, 0f]));
    }

    [Fact]
    public void EnsureContains_names_the_owner_the_value_and_the_reason()
    {
        var e = Assert.Throws<SpaceMismatchException>(() => new Discrete(2).EnsureContains([5f], "CartPole-v1", "action"));
        Assert.Equal("CartPole-v1: action 5 is not in Discrete(2): expected an integer in [0, 1].", e.Message);
    }

    public static TheoryData<Space> Spaces() =>
    [
        new Box([-1f, 0f, float.NegativeInfinity, 0f], [1f, float.PositiveInfinity, 0f, 3f]),
        new Box(float.NegativeInfinity, float.PositiveInfinity, [2, 3]),
        new Box(0, 255, [4], "uint8"),
        new Discrete(5, start: -2),
        new MultiDiscrete([2, 7, 1]),
        new MultiBinary(6),
        new DictSpace([new("position", new Box(-1, 1, [2])), new("gear", new Discrete(3))]),
    ];

    [Theory]
    [MemberData(nameof(Spaces))]
    public void Samples_are_members(Space space)
    {
        var random = new Random(1);
        var value = new float[space.FlatSize];
        for (int i = 0; i < 500; i++)
        {
            space.Sample(random, value);
            Assert.Null(space.Explain(value));
        }
    }

    [Theory]
    [MemberData(nameof(Spaces))]
    public void Seeded_sampling_repeats_bit_for_bit(Space space)
    {
        space.Seed(42);
        var first = Enumerable.Range(0, 20).Select(_ => space.Sample()).ToList();
        space.Seed(42);
        var second = Enumerable.Range(0, 20).Select(_ => space.Sample()).ToList();
        Assert.Equal(first.SelectMany(x => x), second.SelectMany(x => x));
    }

    [Fact]
    public void Dict_encodes_subspaces_in_key_order_at_their_offsets()
    {
        var dict = new DictSpace([new("a", new Box(0, 1, [3])), new("b", new Discrete(4)), new("c", new MultiBinary(2))]);
        Assert.Equal(6, dict.FlatSize);
        Assert.Equal([0, 3, 4], new[] { "a", "b", "c" }.Select(dict.OffsetOf));
        Assert.IsType<Discrete>(dict["b"]);
        Assert.Equal("'b': expected an integer in [0, 3]", dict.Explain([0f, 0f, 0f, 9f, 0f, 1f]));
        Assert.Equal("DictSpace has no key 'd'; keys: a, b, c.", Assert.Throws<KeyNotFoundException>(() => dict.OffsetOf("d")).Message);
        Assert.Equal("DictSpace: key 'a' appears twice.",
            Assert.Throws<ArgumentException>(() => new DictSpace([new("a", new Discrete(1)), new("a", new Discrete(2))])).Message);
    }

    [Fact]
    public void Shapes_dtypes_and_names_follow_gymnasium()
    {
        Assert.Equal([2, 3], new Box(0, 1, [2, 3]).Shape);
        Assert.Equal("Box(0, 1, (2, 3), float32)", new Box(0, 1, [2, 3]).ToString());
        Assert.Equal("int64", new Discrete(2).DType);
        Assert.Equal("Discrete(3, start=1)", new Discrete(3, 1).ToString());
        Assert.Equal("MultiDiscrete([2, 3])", new MultiDiscrete([2, 3]).ToString());
    }
}
