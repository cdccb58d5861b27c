using Research.Host.Catalog;

namespace Research.Host.Tests;

/// <summary>A plugin that reports itself unusable here (a missing native library) is listed with its reason and never constructed.</summary>
public class AvailabilityTests
{
    private const string Reason = "libsimulator.so.1 was not found; install it with `apt-get install libsimulator1`";

    [Fact]
    public void Its_entries_are_listed_with_the_reason_and_are_no_fault()
    {
        var catalog = Fixtures.Catalog(Fixtures.Folder("UnavailablePlugin"), Fixtures.Folder("SamplePlugin"));

        Assert.Empty(catalog.Faults);
        var entry = catalog.Get<EnvironmentEntry>("NeedsSimulator-v0");
        Assert.Equal(Reason, entry.UnavailableReason);
        Assert.Equal(10, entry.MaxEpisodeSteps);
        var unavailable = Assert.Single(catalog.Unavailable);
        Assert.Equal(Fixtures.Assembly("UnavailablePlugin"), unavailable.Path);
        Assert.Equal(Reason, unavailable.Reason);
        Assert.Null(catalog.Get<EnvironmentEntry>("Sample-v0").UnavailableReason);
    }

    [Fact]
    public void Creating_one_fails_with_the_reason_and_the_other_plugins_still_work()
    {
        var catalog = Fixtures.Catalog(Fixtures.Folder("UnavailablePlugin"), Fixtures.Folder("SamplePlugin"));

        var error = Assert.Throws<PluginException>(() => catalog.CreateEnvironment("NeedsSimulator-v0"));
        Assert.Equal($"environment 'NeedsSimulator-v0' (UnavailablePlugin.dll) is not available on this machine: {Reason}", error.Message);
        using var sample = catalog.CreateEnvironment("Sample-v0");
        Assert.NotNull(sample);
    }
}
