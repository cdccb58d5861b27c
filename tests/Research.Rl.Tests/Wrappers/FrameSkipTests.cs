using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.Wrappers;

namespace Research.Rl.Tests.Wrappers;

/// <summary>The zoo's FrameSkip: the action repeated, rewards summed, the last observation kept, an ending stops the repeats.</summary>
public sealed class FrameSkipTests
{
    private sealed class Counter(int endAt, bool truncate) : IEnv
    {
        public int Steps;
        public Space ObservationSpace { get; } = new Box(-1000, 1000, [1]);
        public Space ActionSpace { get; } = new Discrete(2);
        public IReadOnlyDictionary<string, object> Info => EmptyInfo.Instance;
        public void Reset(Span<float> observation, int? seed = null) => observation[0] = Steps = 0;
        public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
        {
            observation[0] = ++Steps;
            bool end = Steps == endAt;
            return new StepOutcome(Steps * 0.5 + action[0], end && !truncate, end && truncate);
        }
        public RgbFrame Render() => throw new NotSupportedException();
        public void Dispose() { }
    }

    [Fact]
    public void Repeats_the_action_and_sums_the_rewards()
    {
        var inner = new Counter(endAt: 100, truncate: false);
        using var env = new FrameSkip(inner, skip: 3);
        var obs = new float[1];
        env.Reset(obs);
        var outcome = env.Step([1f], obs);
        Assert.Equal(3, inner.Steps);
        Assert.Equal(3f, obs[0]);
        Assert.Equal(0.5 + 1 + 1.0 + 1 + 1.5 + 1, outcome.Reward);
        Assert.False(outcome.Done);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Stops_repeating_when_the_episode_ends_and_keeps_its_flags(bool truncate)
    {
        var inner = new Counter(endAt: 2, truncate);
        using var env = new FrameSkip(inner, skip: 4);
        var obs = new float[1];
        env.Reset(obs);
        var outcome = env.Step([0f], obs);
        Assert.Equal(2, inner.Steps);
        Assert.Equal(1.5, outcome.Reward);
        Assert.Equal((!truncate, truncate), (outcome.Terminated, outcome.Truncated));
    }

    [Fact]
    public void A_skip_below_one_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new FrameSkip(new Counter(1, false), 0));
        Assert.Contains("skip must be at least 1", error.Message);
    }
}
