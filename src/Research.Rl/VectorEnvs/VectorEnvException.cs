namespace Research.Rl.VectorEnvs;

/// <summary>Raised on the caller's thread when one environment of a vector env failed; names the environment's index.</summary>
public sealed class VectorEnvException(string vectorEnv, int envIndex, string operation, Exception inner)
    : Exception($"{vectorEnv}: env {envIndex} failed during {operation}: {inner.Message}", inner)
{
    /// <summary>Index of the environment that failed.</summary>
    public int EnvIndex { get; } = envIndex;
}
