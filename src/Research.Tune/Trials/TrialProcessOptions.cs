using Research.Abstractions.Metrics;

namespace Research.Tune;

/// <summary>How <see cref="TrialProcess"/> runs a trial: the hooks the host wires and the liveness settings.</summary>
public sealed record TrialProcessOptions
{
    /// <summary>Called once before the algorithm is created with the trial's thread count (the spec's <c>trial_threads</c>, default 1); the host pins the tensor engine here.</summary>
    public Action<int>? ConfigureThreads { get; init; }

    /// <summary>Metric sinks for a trial directory (the TensorBoard hook): added to the algorithm, and each result row is recorded as <c>ray/tune/&lt;key&gt;</c> scalars.</summary>
    public Func<string, IEnumerable<IMetricsSink>>? SinkFactory { get; init; }

    /// <summary>Whether to end the trial when its driver dies; off when the driver runs the trial in its own process.</summary>
    public bool WatchDriver { get; init; } = true;

    /// <summary>How stale the driver's heartbeat may get before the trial ends itself.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for the trial directory's lock (an orphan of a killed driver may still hold it briefly).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Stops the trial between iterations, for trials run in the driver's process.</summary>
    public CancellationToken Cancellation { get; init; }
}
