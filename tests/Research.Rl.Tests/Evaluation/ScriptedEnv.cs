using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Rl.Tests.Evaluation;

/// <summary>Episodes of scripted lengths (cycling); reward per step is the action plus one; the observation counts steps.</summary>
internal sealed class ScriptedEnv(params int[] lengths) : IEnv
{
    private int _episode = -1;
    private int _step;

    public List<int?> ResetSeeds { get; } = [];
    public Space ObservationSpace { get; } = new Box(0, 1000, [1]);
    public Space ActionSpace { get; } = new Discrete(2);
    public IReadOnlyDictionary<string, object> Info => EmptyInfo.Instance;

    public void Reset(Span<float> observation, int? seed = null)
    {
        ResetSeeds.Add(seed);
        _episode++;
        _step = 0;
        observation[0] = 0;
    }

    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        _step++;
        observation[0] = _step;
        return new StepOutcome(action[0] + 1, Terminated: _step >= lengths[_episode % lengths.Length], Truncated: false);
    }

    public RgbFrame Render() => new(1, 1);
    public void Dispose() { }
}
