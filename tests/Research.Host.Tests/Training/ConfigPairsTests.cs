using Research.Host.Training;

namespace Research.Host.Tests.Training;

public class ConfigPairsTests
{
    [Fact]
    public void Parses_pairs_and_a_later_spelling_replaces_an_earlier_one()
    {
        var config = ConfigPairs.Parse(["n_steps=64", "gamma = 0.9", "NSteps=32", "policy_kwargs=dict(net_arch=[8])"]);

        Assert.Equal(["gamma", "NSteps", "policy_kwargs"], config.Keys.Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal("32", config["NSteps"]);
        Assert.Equal("0.9", config["gamma"]);
        Assert.Equal("dict(net_arch=[8])", config["policy_kwargs"]);
    }

    [Fact]
    public void A_pair_without_a_key_is_an_error_naming_it()
    {
        Assert.Contains("'=3'", Assert.Throws<FormatException>(() => ConfigPairs.Parse(["=3"])).Message);
        Assert.Contains("'gamma'", Assert.Throws<FormatException>(() => ConfigPairs.Parse(["gamma"])).Message);
    }

    [Fact]
    public void Merge_lets_overrides_win_over_any_spelling()
    {
        var merged = ConfigPairs.Merge(
            new Dictionary<string, object?> { ["n_steps"] = 32L, ["gamma"] = 0.98 },
            new Dictionary<string, object?> { ["NSteps"] = "64" });

        Assert.Equal(2, merged.Count);
        Assert.Equal("64", merged["NSteps"]);
        Assert.Equal(0.98, merged["gamma"]);
    }
}
