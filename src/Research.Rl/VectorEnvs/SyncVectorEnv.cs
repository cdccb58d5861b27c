using Research.Abstractions.Environments;

namespace Research.Rl.VectorEnvs;

/// <summary>Steps every environment in turn on the caller's thread (Stable-Baselines' <c>DummyVecEnv</c>).</summary>
public sealed class SyncVectorEnv : VectorEnvBase
{
    /// <summary>Takes ownership of <paramref name="envs"/>.</summary>
    public SyncVectorEnv(IReadOnlyList<IEnv> envs) : base(envs) { }

    /// <summary>Builds <paramref name="count"/> environments with <paramref name="factory"/>.</summary>
    public SyncVectorEnv(Func<int, IEnv> factory, int count) : base(BuildEnvs(factory, count)) { }

    protected override void Run(VectorOperation operation)
    {
        RunRange(operation, 0, NumEnvs);
    }
}
