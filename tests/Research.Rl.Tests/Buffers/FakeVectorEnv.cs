using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.VectorEnvs;

namespace Research.Rl.Tests.Buffers;

/// <summary>A vector env whose buffers the test sets by hand.</summary>
internal sealed class FakeVectorEnv(int numEnvs, int observationSize) : IVectorEnv
{
    public int NumEnvs { get; } = numEnvs;
    public Space SingleObservationSpace { get; } = new Box(-100, 100, [observationSize]);
    public Space SingleActionSpace { get; } = new Discrete(2);
    public float[] Observations { get; } = new float[numEnvs * observationSize];
    public float[] Rewards { get; } = new float[numEnvs];
    public bool[] Terminated { get; } = new bool[numEnvs];
    public bool[] Truncated { get; } = new bool[numEnvs];
    public float[] TerminalObservations { get; } = new float[numEnvs * observationSize];
    public List<EpisodeRecord> Completed { get; } = [];
    public IReadOnlyList<EpisodeRecord> CompletedEpisodes => Completed;
    public IReadOnlyList<IEnv> Envs => [];
    public void Reset(int? seed = null) { }
    public void Step(ReadOnlySpan<float> actions) { }
    public void Dispose() { }
}
