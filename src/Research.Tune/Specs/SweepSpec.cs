namespace Research.Tune;

/// <summary>Whether a metric is better when larger or smaller.</summary>
public enum OptimizationMode
{
    /// <summary>Larger is better.</summary>
    Max,

    /// <summary>Smaller is better.</summary>
    Min,
}

/// <summary>When a trial saves checkpoints and how many it keeps (Tune's <c>CheckpointConfig</c>).</summary>
public sealed record CheckpointPolicy
{
    /// <summary>Save every this many iterations; 0 saves only at the end.</summary>
    public int Frequency { get; init; }

    /// <summary>Save when the trial stops.</summary>
    public bool AtEnd { get; init; } = true;

    /// <summary>How many checkpoints to keep (the newest always among them); null keeps all.</summary>
    public int? Keep { get; init; }

    /// <summary>Result key ranking the kept checkpoints besides the newest (prefix <c>min-</c> when smaller is better); null keeps the newest.</summary>
    public string? Score { get; init; }
}

/// <summary>A sweep: which algorithm and environment, the search space, when to stop, and how to run the trials.</summary>
/// <remarks>Built from YAML by <see cref="SpecLoader"/> or in code; <see cref="SpecValidator"/> checks both the same way.</remarks>
public sealed record SweepSpec
{
    /// <summary>The experiment's name: its folder under <see cref="Output"/>.</summary>
    public required string Name { get; init; }

    /// <summary>Registered algorithm name (for example <c>PPO</c>).</summary>
    public required string Algorithm { get; init; }

    /// <summary>Registered environment id (for example <c>CartPole-v1</c>).</summary>
    public required string Env { get; init; }

    /// <summary>Hyperparameters: plain values, nested maps, or <see cref="SearchDomain"/>s.</summary>
    public IReadOnlyDictionary<string, object?> Config { get; init; } = new Dictionary<string, object?>();

    /// <summary>How many times the grid is repeated; random domains are drawn anew for each repetition.</summary>
    public int NumSamples { get; init; } = 1;

    /// <summary>Seed of the search (random draws and default trial seeds); null draws one and records it.</summary>
    public int? Seed { get; init; }

    /// <summary>Stop a trial when any of these result keys reaches its threshold (Tune's dict stopper).</summary>
    public IReadOnlyDictionary<string, double> Stop { get; init; } = new Dictionary<string, double>();

    /// <summary>The result key that ranks trials.</summary>
    public string? Metric { get; init; }

    /// <summary>Whether <see cref="Metric"/> is better when larger or smaller.</summary>
    public OptimizationMode Mode { get; init; } = OptimizationMode.Max;

    /// <summary>How many trials run at once.</summary>
    public int MaxConcurrent { get; init; } = Environment.ProcessorCount;

    /// <summary>Checkpoint frequency and retention.</summary>
    public CheckpointPolicy Checkpoint { get; init; } = new();

    /// <summary>How many times a failed trial is restarted from its newest checkpoint before it is marked ERROR.</summary>
    public int MaxFailures { get; init; }

    /// <summary>The folder that holds experiments.</summary>
    public string Output { get; init; } = "results";

    /// <summary>Threads each trial's tensor engine may use.</summary>
    public int TrialThreads { get; init; } = 1;

    /// <summary>Which scheduler decides about running trials (Tune's <c>scheduler</c>); FIFO by default.</summary>
    public SchedulerSpec Scheduler { get; init; } = SchedulerSpec.Fifo;

    /// <summary>How configs are chosen (Tune's search algorithm): grid and random search by default, or TPE.</summary>
    public SearchSpec Search { get; init; } = SearchSpec.Basic;

    /// <summary>Where trials run: local processes by default, or Slurm jobs.</summary>
    public ExecutorSpec Executor { get; init; } = ExecutorSpec.Local;

    /// <summary>Where the spec came from (a file path), for error messages.</summary>
    public string Source { get; init; } = "<spec>";

    /// <summary>The experiment folder: <c>Output/Name</c>.</summary>
    public string ExperimentDirectory => Path.Combine(Output, Name);
}
