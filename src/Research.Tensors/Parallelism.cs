namespace Research.Tensors;

/// <summary>How many threads the large kernels (matmul, conv) may use.</summary>
/// <remarks>
/// The global limit applies to every thread; <see cref="Limit"/> overrides it for the calling thread only,
/// so a sweep can pin each trial to one core. Results are bit-identical for any thread count: each output
/// element is always computed by one thread in the same order.
/// </remarks>
public static class Parallelism
{
    private static int s_globalMaxThreads = Environment.ProcessorCount;
    [ThreadStatic] private static int s_threadMaxThreads;

    /// <summary>The process-wide limit (defaults to the processor count).</summary>
    public static int GlobalMaxThreads
    {
        get => s_globalMaxThreads;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "GlobalMaxThreads must be at least 1.");
            s_globalMaxThreads = value;
        }
    }

    /// <summary>The limit in effect on the calling thread.</summary>
    public static int MaxThreads => s_threadMaxThreads > 0 ? s_threadMaxThreads : s_globalMaxThreads;

    /// <summary>Limits kernels started from the calling thread to <paramref name="maxThreads"/> until disposed.</summary>
    public static ThreadLimitScope Limit(int maxThreads)
    {
        if (maxThreads < 1) throw new ArgumentOutOfRangeException(nameof(maxThreads), maxThreads, "maxThreads must be at least 1.");
        var previous = s_threadMaxThreads;
        s_threadMaxThreads = maxThreads;
        return new ThreadLimitScope(previous);
    }

    internal static void Restore(int previous) => s_threadMaxThreads = previous;
}

/// <summary>Restores the calling thread's previous thread limit when disposed.</summary>
public readonly struct ThreadLimitScope : IDisposable
{
    private readonly int _previous;

    internal ThreadLimitScope(int previous) => _previous = previous;

    /// <summary>Restores the previous limit.</summary>
    public void Dispose() => Parallelism.Restore(_previous);
}
