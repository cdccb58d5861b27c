namespace Research.Plugins.Gymnasium;

/// <summary>Which envs each worker hosts: contiguous ranges, in env order.</summary>
internal static class WorkerLayout
{
    /// <summary>The (first env, count) of each worker for <paramref name="envs"/> envs.</summary>
    public static (int First, int Count)[] Plan(int envs, GymnasiumOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(envs);
        if (options.EnvsPerWorker > 0)
        {
            int workers = (envs + options.EnvsPerWorker - 1) / options.EnvsPerWorker;
            if (options.Workers > 0 && options.Workers != workers)
                throw new ArgumentException(
                    $"Gymnasium: workers {options.Workers} with envs_per_worker {options.EnvsPerWorker} do not hold {envs} envs (that takes {workers} workers); give one of the two.");
            return [.. Enumerable.Range(0, workers).Select(w => (w * options.EnvsPerWorker, Math.Min(options.EnvsPerWorker, envs - w * options.EnvsPerWorker)))];
        }
        int count = Math.Min(envs, options.Workers > 0 ? options.Workers : Environment.ProcessorCount);
        return [.. Enumerable.Range(0, count).Select(w => (w * envs / count, (w + 1) * envs / count - w * envs / count))];
    }
}
