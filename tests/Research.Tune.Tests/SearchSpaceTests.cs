namespace Research.Tune.Tests;

public sealed class SearchSpaceTests
{
    private static SweepSpec Spec(string config, int samples) => SpecLoader.Parse($"""
        name: s
        algorithm: Fake
        env: FakeEnv-v0
        num_samples: {samples}
        stop: {"{training_iteration: 1}"}
        config:
        {config}
        """, "s.yaml");

    [Fact]
    public void GridTimesSamplesWithFirstKeyFastest()
    {
        var spec = Spec("  a: {grid_search: [1, 2, 3]}\n  b: {grid_search: [x, y]}\n  c: 5", 2);
        var variants = SearchSpace.Expand(spec, 0);
        Assert.Equal(12, SearchSpace.Count(spec));
        Assert.Equal(12, variants.Count);
        Assert.Equal(Enumerable.Range(0, 12), variants.Select(v => v.Index));
        Assert.Equal([1L, 2L, 3L, 1L, 2L, 3L], variants.Take(6).Select(v => v.Config["a"]));
        Assert.Equal(["x", "x", "x", "y", "y", "y"], variants.Take(6).Select(v => v.Config["b"]));
        Assert.Equal(variants.Take(6).Select(v => v.Config), variants.Skip(6).Select(v => v.Config));
        Assert.All(variants, v => Assert.Equal(5L, v.Config["c"]));
    }

    [Fact]
    public void RandomDrawsAreSeededAndInBounds()
    {
        var spec = Spec("""
              lr: {loguniform: [0.0001, 0.01]}
              g: {uniform: [0.9, 0.99]}
              n: {randint: [1, 3]}
              act: {choice: [tanh, relu]}
              nested: {k: {grid_search: [1, 2]}}
            """, 50);
        var first = SearchSpace.Expand(spec, 42);
        var again = SearchSpace.Expand(spec, 42);
        var other = SearchSpace.Expand(spec, 43);
        Assert.Equal(100, first.Count);
        Assert.Equal(first.Select(v => v.Config), again.Select(v => v.Config));
        Assert.NotEqual(first.Select(v => v.Config["lr"]), other.Select(v => v.Config["lr"]));
        Assert.All(first, v => Assert.InRange((double)v.Config["lr"]!, 0.0001, 0.01));
        Assert.All(first, v => Assert.InRange((double)v.Config["g"]!, 0.9, 0.99));
        Assert.Equal([1L, 2L], first.Select(v => (long)v.Config["n"]!).Distinct().Order());
        Assert.Equal(["relu", "tanh"], first.Select(v => (string)v.Config["act"]!).Distinct().Order());
        Assert.Equal([1L, 2L, 1L, 2L], first.Take(4).Select(v => v.Config["nested.k"]));
        // The grid cells of one sample draw their random values separately.
        Assert.NotEqual(first[0].Config["lr"], first[1].Config["lr"]);
    }

    [Fact]
    public void TrialSeedsComeFromASeedGridOrTheSearchSeed()
    {
        var grid = SearchSpace.Expand(Spec("  seed: {grid_search: [10, 20]}", 1), 5);
        Assert.Equal([10, 20], grid.Select(v => v.Seed));
        var plain = SearchSpace.Expand(Spec("  a: {grid_search: [1, 2, 3]}", 1), 5);
        Assert.Equal([5, 6, 7], plain.Select(v => v.Seed));
    }

    [Fact]
    public void VaryingKeysAreTheDomains()
    {
        var spec = Spec("  a: {grid_search: [1]}\n  b: 2\n  p: {c: {choice: [1]}}", 1);
        Assert.Equal(["a", "p.c"], SearchSpace.VaryingKeys(spec));
    }
}
