using Research.Abstractions.Environments;
using Research.Rl.VectorEnvs;
using Monitor = Research.Rl.Wrappers.Monitoring.Monitor;

namespace Research.Rl.Wrappers.Atari;

/// <summary>Stable-Baselines' <c>make_atari_env</c>: n copies of an Atari env, each under a monitor and <see cref="AtariWrapper"/>, in a vector env.</summary>
/// <remarks>Stack frames on top with <see cref="VecFrameStack"/> (the zoo's <c>frame_stack: 4</c>).</remarks>
public static class MakeAtariEnv
{
    /// <summary>Wraps one env as <c>make_atari_env</c> does: a monitor (a <c>monitor.csv</c> per rank when <paramref name="monitorDir"/> is given), then <see cref="AtariWrapper"/>.</summary>
    public static IEnv Wrap(IEnv env, int rank, AtariWrapperOptions? options = null, string? monitorDir = null, string envId = "")
    {
        RecordEpisodeStatistics monitored = monitorDir is null
            ? new RecordEpisodeStatistics(env)
            : new Monitor(env, Path.Combine(monitorDir, rank.ToString(System.Globalization.CultureInfo.InvariantCulture)), envId);
        return new AtariWrapper(monitored, options);
    }

    /// <summary>
    /// <paramref name="count"/> wrapped copies of <paramref name="factory"/>'s envs (rank 0 … count − 1), stepped on the caller's
    /// thread (SB3's default <c>DummyVecEnv</c>) or in parallel; seed them with the vector env's <c>Reset(seed)</c> (env i gets seed + i).
    /// </summary>
    public static IVectorEnv Create(Func<int, IEnv> factory, int count, AtariWrapperOptions? options = null, bool parallel = false,
        string? monitorDir = null, string envId = "")
    {
        ArgumentNullException.ThrowIfNull(factory);
        IEnv Make(int rank) => Wrap(factory(rank), rank, options, monitorDir, envId);
        return parallel ? new ParallelVectorEnv(Make, count) : new SyncVectorEnv(Make, count);
    }
}
