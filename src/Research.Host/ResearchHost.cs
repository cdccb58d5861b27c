using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Research.Host.Catalog;
using Research.Host.Loading;

namespace Research.Host;

/// <summary>The application host: configuration, dependency injection and the plugin catalog, on <see cref="Microsoft.Extensions.Hosting.Host"/>.</summary>
public static class ResearchHost
{
    /// <summary>The configuration section bound onto <see cref="PluginHostOptions"/> (for example <c>Plugins__DefaultFolder</c>).</summary>
    public const string PluginsSection = "Plugins";

    /// <summary>Creates a host builder with the catalog registered; <paramref name="configure"/> adjusts where plugins are searched.</summary>
    public static HostApplicationBuilder CreateBuilder(Action<PluginHostOptions>? configure = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddResearchPlugins(builder.Configuration.GetSection(PluginsSection), configure);
        return builder;
    }

    /// <summary>Registers <see cref="PluginHostOptions"/> (bound from <paramref name="section"/>) and a lazily loaded singleton <see cref="PluginCatalog"/>.</summary>
    public static IServiceCollection AddResearchPlugins(
        this IServiceCollection services, IConfiguration? section = null, Action<PluginHostOptions>? configure = null)
    {
        var options = services.AddOptions<PluginHostOptions>();
        if (section is not null) options.Bind(section);
        if (configure is not null) options.Configure(configure);
        services.AddSingleton(provider => PluginLoader.Load(provider.GetRequiredService<IOptions<PluginHostOptions>>().Value));
        return services;
    }
}
