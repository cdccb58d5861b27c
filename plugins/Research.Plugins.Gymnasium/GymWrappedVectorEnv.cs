using System.Text.Json.Nodes;
using Research.Abstractions.Environments;
using Research.Rl.VectorEnvs;

namespace Research.Plugins.Gymnasium;

/// <summary>
/// Bridged envs each under C# wrappers (e.g. SB3's AtariWrapper): one <see cref="GymEnv"/> per env, wrapped, stepped by a
/// <see cref="ParallelVectorEnv"/> with one thread per worker (its envs in turn), so workers still run in parallel. Owns the workers.
/// </summary>
public sealed class GymWrappedVectorEnv : VecEnvWrapper, INonRestorableVectorEnv
{
    private readonly PythonWorker[] _workers;
    private readonly string _id;

    private GymWrappedVectorEnv(IVectorEnv inner, PythonWorker[] workers, string id) : base(inner)
    {
        _workers = workers;
        _id = id;
    }

    internal static GymWrappedVectorEnv Create(string id, int count, JsonObject kwargs, GymnasiumOptions options, string bridgePath, Func<IEnv, int, IEnv> wrap)
    {
        var workers = GymWorkers.Start(id, count, kwargs, options, bridgePath, out var ready);
        var envs = new List<IEnv>(count);
        try
        {
            foreach (var worker in workers)
                for (int local = 0; local < worker.Count; local++)
                    envs.Add(wrap(GymEnv.For(worker, local, ready, ownsWorker: false), worker.FirstEnv + local));
            var vector = new ParallelVectorEnv(envs, new ParallelVectorEnvOptions(Groups: [.. workers.Select(w => w.Count)]));
            return new GymWrappedVectorEnv(vector, workers, id);
        }
        catch
        {
            foreach (var env in envs) env.Dispose();
            foreach (var worker in workers) worker.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public string NotRestorableReason =>
        $"{_id}: Python environments behind the Gymnasium bridge cannot be saved; a run restored from this checkpoint starts fresh " +
        "episodes in new environments (as Stable-Baselines3 does after load), with the algorithm and wrappers such as VecNormalize restored exactly.";

    /// <summary>Disposes the envs, then closes the workers.</summary>
    public override void Dispose()
    {
        base.Dispose();
        foreach (var worker in _workers) worker.Dispose();
    }
}
