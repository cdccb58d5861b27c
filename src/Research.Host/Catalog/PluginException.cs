namespace Research.Host.Catalog;

/// <summary>Raised when a plugin cannot be found or created; the message names the plugin, its file and the reason.</summary>
public sealed class PluginException(string message, Exception? inner = null) : Exception(message, inner);
