using Research.Abstractions.Environments;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;
using static Research.Rl.Tests.VectorEnvs.VectorEnvTesting;

namespace Research.Rl.Tests.VectorEnvs;

public class SyncVectorEnvTests
{
    [Fact]
    public void Reset_seeds_env_i_with_seed_plus_i_and_writes_each_row()
    {
        using var vec = new SyncVectorEnv(_ => new CounterEnv(), 3);
        vec.Reset(seed: 40);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(40 + i, ((CounterEnv)vec.Envs[i]).LastSeed);
            var (expected, _) = new CounterEnv().Reset(40 + i);
            Assert.Equal(expected, vec.Observations.AsSpan(i * 2, 2).ToArray());
        }
    }

    [Fact]
    public void Reset_without_seed_continues_each_generator()
    {
        using var vec = new SyncVectorEnv(_ => new CounterEnv(), 2);
        vec.Reset(seed: 1);
        float first = vec.Observations[1];
        vec.Reset();
        Assert.NotEqual(first, vec.Observations[1]);
        Assert.Equal(1, ((CounterEnv)vec.Envs[0]).LastSeed);
    }

    [Fact]
    public void Autoreset_keeps_the_terminal_observation_and_returns_the_first_of_the_next_episode()
    {
        using var vec = new SyncVectorEnv([new CounterEnv(episodeLength: 2), new CounterEnv(episodeLength: 3)]);
        vec.Reset(seed: 7);
        var reference = new CounterEnv(episodeLength: 2);
        reference.Reset(7);
        var afterFirst = reference.Step(1).Observation;
        var terminal = reference.Step(1).Observation;
        var nextEpisodeStart = reference.Reset().Observation;

        vec.Step([1, 0]);
        Assert.Equal(afterFirst, vec.Observations[..2]);
        Assert.Equal([false, false], vec.Terminated);
        Assert.Empty(vec.CompletedEpisodes);

        vec.Step([1, 1]);
        Assert.Equal([true, false], vec.Terminated);
        Assert.Equal([false, false], vec.Truncated);
        Assert.Equal(terminal, vec.TerminalObservations[..2]);
        Assert.Equal(nextEpisodeStart, vec.Observations[..2]);
        Assert.Equal(0f, vec.Observations[0]);
        Assert.Equal([3f, 3f], vec.Rewards);
        Assert.Equal([new EpisodeRecord(0, 2 + 3, 2)], vec.CompletedEpisodes);

        vec.Step([0, 0]);
        Assert.Equal([false, true], vec.Terminated);
        Assert.Equal(1f, vec.Observations[0]);
        Assert.Equal([new EpisodeRecord(1, 1 + 3 + 3, 3)], vec.CompletedEpisodes);
    }

    [Fact]
    public void Truncation_by_a_time_limit_is_reported_apart_from_termination()
    {
        using var vec = new SyncVectorEnv([new TimeLimit(new CounterEnv(episodeLength: 100), 2), new CounterEnv(episodeLength: 2)]);
        vec.Reset(seed: 0);
        vec.Step([0, 0]);
        vec.Step([0, 0]);
        Assert.Equal([false, true], vec.Terminated);
        Assert.Equal([true, false], vec.Truncated);
        Assert.Equal(2f, vec.TerminalObservations[0]);
        Assert.Equal(0f, vec.Observations[0]);
        Assert.Equal(2, vec.CompletedEpisodes.Count);
        Assert.Equal(0, ((TimeLimit)vec.Envs[0]).ElapsedSteps);
    }

    [Fact]
    public void Step_before_reset_and_wrong_action_length_fail_clearly()
    {
        using var vec = new SyncVectorEnv(_ => new CounterEnv(), 2);
        var early = Assert.Throws<InvalidOperationException>(() => vec.Step([0, 0]));
        Assert.Contains("Reset", early.Message);
        vec.Reset();
        var wrong = Assert.Throws<ArgumentException>(() => vec.Step([0, 0, 0]));
        Assert.Contains("expected 2 action values (2 envs × 1), got 3", wrong.Message);
    }

    [Fact]
    public void Envs_with_different_spaces_are_refused_naming_the_env()
    {
        var error = Assert.Throws<ArgumentException>(() => new SyncVectorEnv([new CounterEnv(), new CounterEnv(), new ContinuousEnv()]));
        Assert.Contains("env 2 has observation space Box(-Infinity, Infinity, (3,), float32)", error.Message);
    }

    [Fact]
    public void A_failing_env_surfaces_with_its_index_and_a_reset_is_then_required()
    {
        using var vec = new SyncVectorEnv(i => new CounterEnv(episodeLength: 10, failAtStep: i == 1 ? 2 : null), 3);
        vec.Reset();
        vec.Step([0, 0, 0]);
        var error = Assert.Throws<VectorEnvException>(() => vec.Step([0, 0, 0]));
        Assert.Equal(1, error.EnvIndex);
        Assert.Contains("SyncVectorEnv: env 1 failed during Step: CounterEnv: planned failure at step 2", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Throws<InvalidOperationException>(() => vec.Step([0, 0, 0]));
    }

    [Fact]
    public void State_written_mid_episode_restores_exactly()
    {
        using var vec = new SyncVectorEnv(MixedCounter, 4);
        vec.Reset(seed: 3);
        Run(vec, 0, 5);
        var state = SaveState(vec);
        var expected = Run(vec, 5, 9);

        using var restored = new SyncVectorEnv(MixedCounter, 4);
        LoadState(restored, state);
        Assert.Equal(expected, Run(restored, 5, 9));
    }

    [Fact]
    public void State_of_an_env_without_IStateful_cannot_be_written()
    {
        using var vec = new SyncVectorEnv([new StatelessEnv()]);
        var error = Assert.Throws<InvalidOperationException>(() => SaveState(vec));
        Assert.Contains("env 0 (StatelessEnv) does not implement IStateful", error.Message);
    }

    [Fact]
    public void State_of_another_size_is_refused()
    {
        using var small = new SyncVectorEnv(MixedCounter, 2);
        small.Reset();
        var state = SaveState(small);
        using var large = new SyncVectorEnv(MixedCounter, 3);
        var error = Assert.Throws<InvalidDataException>(() => LoadState(large, state));
        Assert.Contains("holds 2 envs", error.Message);
    }

    [Fact]
    public void Dispose_disposes_every_env()
    {
        var envs = new[] { new CounterEnv(), new CounterEnv() };
        new SyncVectorEnv(envs).Dispose();
        Assert.All(envs, e => Assert.True(e.Disposed));
    }

    [Fact]
    public void Stepping_allocates_nothing_after_warm_up()
    {
        using var vec = new SyncVectorEnv(MixedCounter, 8);
        vec.Reset(seed: 0);
        var actions = new float[8];
        for (int t = 0; t < 50; t++) vec.Step(actions);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 1000; t++) vec.Step(actions);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private sealed class StatelessEnv : IEnv
    {
        public Research.Abstractions.Spaces.Space ObservationSpace { get; } = new Research.Abstractions.Spaces.Discrete(2);
        public Research.Abstractions.Spaces.Space ActionSpace { get; } = new Research.Abstractions.Spaces.Discrete(2);
        public IReadOnlyDictionary<string, object> Info => EmptyInfo.Instance;
        public void Reset(Span<float> observation, int? seed = null) => observation[0] = 0;
        public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation) => new(0, false, false);
        public RgbFrame Render() => new(1, 1);
        public void Dispose() { }
    }
}
