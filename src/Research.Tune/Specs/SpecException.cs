namespace Research.Tune;

/// <summary>A sweep spec that cannot run; the message names the file, the key and (when one is close) the nearest valid name.</summary>
public sealed class SpecException(string source, string key, string reason)
    : Exception($"{source}: '{key}': {reason}")
{
    /// <summary>The spec file (or <c>&lt;spec&gt;</c> for a spec built in code).</summary>
    public string SpecFile { get; } = source;

    /// <summary>The offending key, dotted for nested keys.</summary>
    public string Key { get; } = key;
}
