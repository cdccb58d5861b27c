using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.VectorEnvs;

namespace Research.Host.Tests;

/// <summary>A minimal vector env for running plugin algorithms in these tests: steps each env in turn, autoresets as SB3 does.</summary>
internal sealed class SequentialVectorEnv : IVectorEnv
{
    private readonly IEnv[] _envs;
    private readonly double[] _returns;
    private readonly int[] _lengths;
    private readonly List<EpisodeRecord> _completed = [];

    public SequentialVectorEnv(params IEnv[] envs)
    {
        _envs = envs;
        int obs = SingleObservationSpace.FlatSize;
        Observations = new float[envs.Length * obs];
        TerminalObservations = new float[envs.Length * obs];
        Rewards = new float[envs.Length];
        Terminated = new bool[envs.Length];
        Truncated = new bool[envs.Length];
        _returns = new double[envs.Length];
        _lengths = new int[envs.Length];
    }

    public int NumEnvs => _envs.Length;
    public Space SingleObservationSpace => _envs[0].ObservationSpace;
    public Space SingleActionSpace => _envs[0].ActionSpace;
    public float[] Observations { get; }
    public float[] Rewards { get; }
    public bool[] Terminated { get; }
    public bool[] Truncated { get; }
    public float[] TerminalObservations { get; }
    public IReadOnlyList<EpisodeRecord> CompletedEpisodes => _completed;
    public IReadOnlyList<IEnv> Envs => _envs;

    public void Reset(int? seed = null)
    {
        for (int i = 0; i < NumEnvs; i++) _envs[i].Reset(Row(Observations, i), seed + i);
    }

    public void Step(ReadOnlySpan<float> actions)
    {
        _completed.Clear();
        int act = SingleActionSpace.FlatSize;
        for (int i = 0; i < NumEnvs; i++)
        {
            var outcome = _envs[i].Step(actions.Slice(i * act, act), Row(Observations, i));
            (Rewards[i], Terminated[i], Truncated[i]) = ((float)outcome.Reward, outcome.Terminated, outcome.Truncated);
            _returns[i] += outcome.Reward;
            _lengths[i]++;
            if (!outcome.Done) continue;
            Row(Observations, i).CopyTo(Row(TerminalObservations, i));
            _completed.Add(new EpisodeRecord(i, _returns[i], _lengths[i]));
            (_returns[i], _lengths[i]) = (0, 0);
            _envs[i].Reset(Row(Observations, i));
        }
    }

    public void Dispose()
    {
        foreach (var env in _envs) env.Dispose();
    }

    private Span<float> Row(float[] buffer, int i) =>
        buffer.AsSpan(i * SingleObservationSpace.FlatSize, SingleObservationSpace.FlatSize);
}
