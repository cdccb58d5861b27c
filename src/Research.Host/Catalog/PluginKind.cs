namespace Research.Host.Catalog;

/// <summary>What a plugin class provides.</summary>
public enum PluginKind
{
    /// <summary>An <c>[Algorithm]</c> class implementing <c>IAlgorithm</c>.</summary>
    Algorithm,

    /// <summary>An <c>[Environment]</c> class implementing <c>IEnv</c>.</summary>
    Environment,

    /// <summary>An <c>[Expert]</c> class implementing <c>IExpert</c>.</summary>
    Expert,
}
