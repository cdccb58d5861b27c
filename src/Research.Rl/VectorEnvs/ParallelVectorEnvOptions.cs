namespace Research.Rl.VectorEnvs;

/// <summary>How a <see cref="ParallelVectorEnv"/> spreads its environments over threads.</summary>
/// <param name="MaxThreads">Threads stepping environments, the caller's included; 0 means one per processor. Never more than the number of envs.</param>
/// <param name="SpinCount">Rounds of <see cref="SpinWait.SpinOnce(int)"/> a waiting thread spins (then yields) before it blocks: more lowers hand-off latency and costs idle CPU.</param>
public sealed record ParallelVectorEnvOptions(int MaxThreads = 0, int SpinCount = 100)
{
    /// <summary>The number of threads for <paramref name="numEnvs"/> environments.</summary>
    internal int ThreadsFor(int numEnvs)
    {
        if (MaxThreads < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxThreads), MaxThreads, "ParallelVectorEnvOptions: MaxThreads must be 0 (one per processor) or positive.");
        if (SpinCount < 0)
            throw new ArgumentOutOfRangeException(nameof(SpinCount), SpinCount, "ParallelVectorEnvOptions: SpinCount must not be negative.");
        int wanted = MaxThreads == 0 ? Environment.ProcessorCount : MaxThreads;
        return Math.Min(wanted, numEnvs);
    }
}
