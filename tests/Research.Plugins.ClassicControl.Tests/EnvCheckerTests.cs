using Research.Abstractions.Environments;
using Research.Rl.Checking;
using Research.Rl.Wrappers;

namespace Research.Plugins.ClassicControl.Tests;

/// <summary>The checker passes the five environments and catches each deliberately broken behaviour.</summary>
public sealed class EnvCheckerTests
{
    [Theory]
    [MemberData(nameof(GoldenEpisodeTests.Ids), MemberType = typeof(GoldenEpisodeTests))]
    public void Classic_control_envs_pass(string id)
    {
        var findings = EnvChecker.Check(() => EnvFactory.CreateLimited(id));
        Assert.Empty(findings);
    }

    public enum Defect { None, ObservationOutOfSpace, ShortObservation, IgnoresSeed, SameForEverySeed, NoThrowAfterEnd, NoThrowBeforeReset, NaNReward, GrowingFrames, LosesState }

    [Theory]
    [InlineData(Defect.ObservationOutOfSpace, EnvChecker.Checks.Observation, FindingSeverity.Error)]
    [InlineData(Defect.ShortObservation, EnvChecker.Checks.Observation, FindingSeverity.Error)]
    [InlineData(Defect.IgnoresSeed, EnvChecker.Checks.Seeding, FindingSeverity.Error)]
    [InlineData(Defect.SameForEverySeed, EnvChecker.Checks.Seeding, FindingSeverity.Warning)]
    [InlineData(Defect.NoThrowAfterEnd, EnvChecker.Checks.StepAfterEnd, FindingSeverity.Error)]
    [InlineData(Defect.NoThrowBeforeReset, EnvChecker.Checks.StepBeforeReset, FindingSeverity.Error)]
    [InlineData(Defect.NaNReward, EnvChecker.Checks.Reward, FindingSeverity.Error)]
    [InlineData(Defect.GrowingFrames, EnvChecker.Checks.Render, FindingSeverity.Error)]
    [InlineData(Defect.LosesState, EnvChecker.Checks.State, FindingSeverity.Error)]
    public void Each_violation_is_found(Defect defect, string check, FindingSeverity severity)
    {
        var findings = EnvChecker.Check(() => new BrokenCartPole(defect));
        Assert.Contains(findings, f => f.Check == check && f.Severity == severity);
        Assert.All(findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Message)));
    }

    [Fact]
    public void The_broken_env_without_defects_passes()
    {
        Assert.Empty(EnvChecker.Check(() => new BrokenCartPole(Defect.None)));
    }

    [Fact]
    public void An_env_without_saved_state_gets_a_warning()
    {
        var findings = EnvChecker.Check(() => new StatelessCartPole());
        var finding = Assert.Single(findings);
        Assert.Equal((FindingSeverity.Warning, EnvChecker.Checks.State), (finding.Severity, finding.Check));
    }

    /// <summary>CartPole behind a plain <see cref="IEnv"/> that cannot save its state.</summary>
    private sealed class StatelessCartPole : IEnv
    {
        private readonly CartPoleEnv _inner = new();
        public Research.Abstractions.Spaces.Space ObservationSpace => _inner.ObservationSpace;
        public Research.Abstractions.Spaces.Space ActionSpace => _inner.ActionSpace;
        public IReadOnlyDictionary<string, object> Info => _inner.Info;
        public void Reset(Span<float> observation, int? seed = null) => _inner.Reset(observation, seed);
        public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation) => _inner.Step(action, observation);
        public RgbFrame Render() => _inner.Render();
        public void Dispose() => _inner.Dispose();
    }

    /// <summary>CartPole with one deliberate contract violation.</summary>
    private sealed class BrokenCartPole(Defect defect) : EnvWrapper(new CartPoleEnv())
    {
        private int _frames;
        private bool _ended, _started;

        public override void Reset(Span<float> observation, int? seed = null)
        {
            int? used = defect switch { Defect.IgnoresSeed => null, Defect.SameForEverySeed => 0, _ => seed };
            Inner.Reset(observation, used);
            _ended = false;
            _started = true;
            if (defect == Defect.ShortObservation) observation[3] = float.NaN;
        }

        public override StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
        {
            if (defect == Defect.NoThrowBeforeReset && !_started) return new StepOutcome(0, false, false);
            if (defect == Defect.NoThrowAfterEnd && _ended) return new StepOutcome(0, true, false);
            var outcome = Inner.Step(action, observation);
            _ended = outcome.Terminated;
            if (defect == Defect.ObservationOutOfSpace) observation[0] = 99f;
            if (defect == Defect.NaNReward) return outcome with { Reward = double.NaN };
            return outcome;
        }

        public override RgbFrame Render()
        {
            var frame = Inner.Render();
            return defect == Defect.GrowingFrames ? new RgbFrame(frame.Width + _frames++, frame.Height) : frame;
        }

        public override void ReadState(BinaryReader reader)
        {
            if (defect == Defect.LosesState) return;
            base.ReadState(reader);
        }
    }
}
