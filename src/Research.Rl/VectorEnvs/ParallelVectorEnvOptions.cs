namespace Research.Rl.VectorEnvs;

/// <summary>How a <see cref="ParallelVectorEnv"/> spreads its environments over threads.</summary>
/// <param name="MaxThreads">Threads stepping environments, the caller's included; 0 means one per processor. Never more than the number of envs.</param>
/// <param name="SpinCount">Rounds of <see cref="SpinWait.SpinOnce(int)"/> a waiting thread spins (then yields) before it blocks: more lowers hand-off latency and costs idle CPU.</param>
/// <param name="Groups">
/// Sizes of runs of consecutive envs that only one thread at a time may step (envs sharing a resource, such as the Python
/// worker process of the Gymnasium bridge); each run is one chunk, and there is a thread per run unless <paramref name="MaxThreads"/>
/// says otherwise (such envs mostly wait, so more threads than processors pay). Null: chunks as usual.
/// </param>
public sealed record ParallelVectorEnvOptions(int MaxThreads = 0, int SpinCount = 100, IReadOnlyList<int>? Groups = null)
{
    /// <summary>The number of threads for <paramref name="numEnvs"/> environments.</summary>
    internal int ThreadsFor(int numEnvs)
    {
        if (MaxThreads < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxThreads), MaxThreads, "ParallelVectorEnvOptions: MaxThreads must be 0 (one per processor) or positive.");
        if (SpinCount < 0)
            throw new ArgumentOutOfRangeException(nameof(SpinCount), SpinCount, "ParallelVectorEnvOptions: SpinCount must not be negative.");
        if (Groups is not null)
        {
            if (Groups.Any(g => g <= 0) || Groups.Sum() != numEnvs)
                throw new ArgumentException($"ParallelVectorEnvOptions: Groups [{string.Join(", ", Groups)}] must be positive and add up to the {numEnvs} envs.");
            return MaxThreads == 0 ? Groups.Count : Math.Min(MaxThreads, Groups.Count);
        }
        int wanted = MaxThreads == 0 ? Environment.ProcessorCount : MaxThreads;
        return Math.Min(wanted, numEnvs);
    }
}
