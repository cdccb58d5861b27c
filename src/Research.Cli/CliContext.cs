using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Research.Host;
using Research.Host.Catalog;

namespace Research.Cli;

/// <summary>What every command needs: where to write, and the host (built on first use, so <c>--help</c> stays fast).</summary>
public sealed class CliContext : IDisposable
{
    private readonly Lazy<IHost> _host;
    private bool _faultsReported;

    /// <summary>Creates a context writing to <paramref name="output"/> and <paramref name="error"/>; <paramref name="configurePlugins"/> adjusts plugin search.</summary>
    public CliContext(TextWriter output, TextWriter error, Action<PluginHostOptions>? configurePlugins = null)
    {
        Out = output;
        Error = error;
        _host = new Lazy<IHost>(() => ResearchHost.CreateBuilder(configurePlugins).Build());
    }

    /// <summary>Standard output: results.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: warnings and errors.</summary>
    public TextWriter Error { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _host.Value.Services;

    /// <summary>The folders searched for plugins, in order.</summary>
    public IReadOnlyList<string> PluginFolders => Services.GetRequiredService<IOptions<PluginHostOptions>>().Value.AllFolders();

    /// <summary>The plugin catalog; its load faults are printed as warnings the first time it is used.</summary>
    public PluginCatalog Catalog
    {
        get
        {
            var catalog = Services.GetRequiredService<PluginCatalog>();
            if (!_faultsReported)
                foreach (var fault in catalog.Faults) Error.WriteLine($"warning: {fault}");
            _faultsReported = true;
            return catalog;
        }
    }

    /// <summary>Disposes the host if it was built.</summary>
    public void Dispose()
    {
        if (_host.IsValueCreated) _host.Value.Dispose();
    }
}
