namespace Research.Rl.VectorEnvs;

/// <summary>How a <see cref="ParallelVectorEnv"/> spreads its environments over threads.</summary>
/// <param name="MaxThreads">Threads stepping environments, the caller's included; 0 means one per processor. Never more than the number of envs.</param>
/// <param name="SpinCount">How long a waiting thread spins before it blocks (ManualResetEventSlim's spin count, at most 2047): longer spinning lowers hand-off latency and costs idle CPU.</param>
public sealed record ParallelVectorEnvOptions(int MaxThreads = 0, int SpinCount = 200)
{
    /// <summary>The number of threads for <paramref name="numEnvs"/> environments.</summary>
    internal int ThreadsFor(int numEnvs)
    {
        if (MaxThreads < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxThreads), MaxThreads, "ParallelVectorEnvOptions: MaxThreads must be 0 (one per processor) or positive.");
        if (SpinCount is < 0 or > 2047)
            throw new ArgumentOutOfRangeException(nameof(SpinCount), SpinCount, "ParallelVectorEnvOptions: SpinCount must be in [0, 2047].");
        int wanted = MaxThreads == 0 ? Environment.ProcessorCount : MaxThreads;
        return Math.Min(wanted, numEnvs);
    }
}
