using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Research.Host.Catalog;

namespace Research.Host.Tests;

public class ResearchHostTests
{
    [Fact]
    public void The_host_binds_plugin_options_from_configuration_and_registers_one_catalog()
    {
        var builder = ResearchHost.CreateBuilder(o => o.UseEnvironmentVariable = false);
        builder.Configuration[$"{ResearchHost.PluginsSection}:{nameof(PluginHostOptions.DefaultFolder)}"] = Path.Combine(AppContext.BaseDirectory, "fixtures");
        using var host = builder.Build();

        var catalog = host.Services.GetRequiredService<PluginCatalog>();

        Assert.Same(catalog, host.Services.GetRequiredService<PluginCatalog>());
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "fixtures"), host.Services.GetRequiredService<IOptions<PluginHostOptions>>().Value.DefaultFolder);
        Assert.Contains(catalog.Entries, e => e.Name == "Sample-v0");
        Assert.Contains(catalog.Entries, e => e.Name == "Fine-v0");
    }

    [Fact]
    public void By_default_plugins_are_searched_next_to_the_executable()
    {
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "plugins"), new PluginHostOptions().DefaultFolder);
    }
}
