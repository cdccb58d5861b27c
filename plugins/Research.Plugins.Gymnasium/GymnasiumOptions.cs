using Research.Abstractions.Options;

namespace Research.Plugins.Gymnasium;

/// <summary>How the bridge runs its Python workers (the config's <c>vec_env_kwargs</c> for <c>gym:</c> environments).</summary>
public sealed record GymnasiumOptions
{
    /// <summary>The Python interpreter; it needs NumPy, and Gymnasium for Gymnasium ids.</summary>
    [Option("Python interpreter running the workers (needs NumPy; Gymnasium for Gymnasium ids).")]
    public string Python { get; init; } = "python3";

    /// <summary>Extra module search path for the workers (PYTHONPATH entries), e.g. where a <c>module:callable</c> env lives.</summary>
    [Option("Extra PYTHONPATH entries for the workers (path-separator-delimited).")]
    public string PythonPath { get; init; } = "";

    /// <summary>Worker processes; 0 means one per processor (never more than envs).</summary>
    [Option("Worker processes (0: one per processor, at most one per env).", Min = 0)]
    public int Workers { get; init; }

    /// <summary>Envs per worker; 0 spreads the envs evenly over <see cref="Workers"/>.</summary>
    [Option("Envs hosted by each worker (0: spread evenly over the workers).", Min = 0)]
    public int EnvsPerWorker { get; init; }

    /// <summary>Seconds a worker may take to answer a reset, step or render before it is killed.</summary>
    [Option("Seconds a worker may take to answer before it is killed.", Min = 0.001)]
    public double Timeout { get; init; } = 60;

    /// <summary>Seconds a worker may take to start and build its envs.</summary>
    [Option("Seconds a worker may take to start Python and build its envs.", Min = 0.001)]
    public double StartupTimeout { get; init; } = 300;

    /// <summary>The <c>render_mode</c> given to <c>gymnasium.make</c> unless the env kwargs set one (as SB3's make_vec_env); <c>none</c> for none.</summary>
    [Option("render_mode for gymnasium.make unless env_kwargs give one ('none' for none).")]
    public string RenderMode { get; init; } = "rgb_array";
}
