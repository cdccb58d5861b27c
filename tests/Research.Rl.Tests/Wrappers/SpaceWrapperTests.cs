using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.Tests.VectorEnvs;
using Research.Rl.Wrappers;
using Research.Rl.Wrappers.Normalization;

namespace Research.Rl.Tests.Wrappers;

public class SpaceWrapperTests
{
    [Fact]
    public void FrameStack_stacks_along_a_new_first_axis_padding_with_the_reset_observation()
    {
        using var env = new FrameStack(new CounterEnv(episodeLength: 10), 3);
        var space = Assert.IsType<Box>(env.ObservationSpace);
        Assert.Equal([3, 2], space.Shape);
        Assert.Equal(6, space.FlatSize);
        Assert.All(space.Low, x => Assert.Equal(float.NegativeInfinity, x));

        var (first, _) = env.Reset(seed: 4);
        var (reset, _) = new CounterEnv().Reset(4);
        Assert.Equal([.. reset, .. reset, .. reset], first);
        var second = env.Step(0).Observation;
        var third = env.Step(0).Observation;
        Assert.Equal(reset, third[..2]);
        Assert.Equal(second[4..], third[2..4]);
        Assert.Equal([1f, 2f], new[] { second[4], third[4] });
    }

    [Fact]
    public void FrameStack_keeps_bounds_per_frame_and_restores_its_frames()
    {
        using var env = new FrameStack(new ContinuousEnv(), 2);
        Assert.Equal([2, 3], env.ObservationSpace.Shape);
        env.Reset(seed: 1);
        env.Step([0.5f, 0.5f]);
        var state = VectorEnvTesting.SaveState(env);
        var expected = env.Step([0.25f, -1f]).Observation;
        using var restored = new FrameStack(new ContinuousEnv(), 2);
        VectorEnvTesting.LoadState(restored, state);
        Assert.Equal(expected, restored.Step([0.25f, -1f]).Observation);
    }

    [Fact]
    public void FrameStack_refuses_non_Box_observations()
    {
        var error = Assert.Throws<ArgumentException>(() => new FrameStack(new DictObservationEnv(), 4));
        Assert.Equal("FrameStack: observation space Dict('position': Box(-1, 1, (2,), float32), 'mode': Discrete(3)) is not supported; expected a Box.", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameStack(new CounterEnv(), 0));
    }

    [Fact]
    public void ClipAction_accepts_any_real_action_and_clips_it_to_the_inner_bounds()
    {
        var inner = new ContinuousEnv(-2, 2);
        using var env = new ClipAction(inner);
        Assert.Equal("Box(-Infinity, Infinity, (2,), float32)", env.ActionSpace.ToString());
        env.Reset(seed: 0);
        env.Step([5f, -0.5f]);
        Assert.Equal([2f, -0.5f], inner.LastAction);
        env.Step([float.NegativeInfinity, 2f]);
        Assert.Equal([-2f, 2f], inner.LastAction);
        var error = Assert.Throws<ArgumentException>(() => new ClipAction(new CounterEnv()));
        Assert.Equal("ClipAction: action space Discrete(2) is not supported; expected a Box.", error.Message);
    }

    [Fact]
    public void RescaleAction_maps_min_max_onto_the_inner_bounds()
    {
        var inner = new ContinuousEnv(-2, 2);
        using var env = new RescaleAction(inner, 0f, 1f);
        Assert.Equal("Box(0, 1, (2,), float32)", env.ActionSpace.ToString());
        env.Reset(seed: 0);
        env.Step([0.75f, 0f]);
        Assert.Equal([1f, -2f], inner.LastAction);
        env.Step([1f, 0.5f]);
        Assert.Equal([2f, 0f], inner.LastAction);
        env.Step([3f, -1f]);
        Assert.Equal([2f, -2f], inner.LastAction);

        using var perElement = new RescaleAction(new ContinuousEnv(-1, 1), [-10f, 0f], [10f, 4f]);
        Assert.Equal([-10f, 0f], ((Box)perElement.ActionSpace).Low);
    }

    [Fact]
    public void RescaleAction_refuses_unbounded_or_discrete_actions_and_bad_ranges()
    {
        var discrete = Assert.Throws<ArgumentException>(() => new RescaleAction(new CounterEnv(), -1, 1));
        Assert.Equal("RescaleAction: action space Discrete(2) is not supported; expected a Box with finite bounds.", discrete.Message);
        var unbounded = Assert.Throws<ArgumentException>(() => new RescaleAction(new ClipAction(new ContinuousEnv()), -1, 1));
        Assert.Contains("Box(-Infinity, Infinity, (2,), float32) is not supported; expected a Box with finite bounds", unbounded.Message);
        var range = Assert.Throws<ArgumentException>(() => new RescaleAction(new ContinuousEnv(), 1, 1));
        Assert.Equal("RescaleAction: element 0 has min 1 and max 1; expected finite min < max.", range.Message);
    }

    [Fact]
    public void TransformObservation_applies_the_function_and_reports_the_new_space()
    {
        var newSpace = new Box(0, float.PositiveInfinity, [1]);
        using var env = new TransformObservation(new CounterEnv(episodeLength: 5), (o, d) => d[0] = o[0] * o[0], newSpace);
        Assert.Same(newSpace, env.ObservationSpace);
        env.Reset(seed: 0);
        env.Step(0);
        env.Step(0);
        Assert.Equal([9f], env.Step(0).Observation);
        using var same = new TransformObservation(new CounterEnv(), (o, d) => o.CopyTo(d));
        Assert.Equal(same.Inner.ObservationSpace, same.ObservationSpace);
    }

    [Fact]
    public void FlattenObservation_of_a_Dict_of_Boxes_only_changes_the_space()
    {
        var dict = new DictSpace([new("a", new Box(-1, 1, [2, 2])), new("b", new Box([0f], [5f]))]);
        using var env = new FlattenObservation(new TransformObservation(new ContinuousEnv(), (o, d) => { o.CopyTo(d); d[3] = o[0]; d[4] = 2; }, dict));
        var space = Assert.IsType<Box>(env.ObservationSpace);
        Assert.Equal([5], space.Shape);
        Assert.Equal([-1f, -1f, -1f, -1f, 0f], space.Low);
        Assert.Equal([1f, 1f, 1f, 1f, 5f], space.High);
        var (flat, _) = env.Reset(seed: 2);
        var (raw, _) = ((EnvWrapper)env.Inner).Reset(seed: 2);
        Assert.Equal(raw, flat);
    }

    [Fact]
    public void FlattenObservation_one_hot_encodes_discrete_parts()
    {
        using var env = new FlattenObservation(new DictObservationEnv());
        var space = Assert.IsType<Box>(env.ObservationSpace);
        Assert.Equal([5], space.Shape);
        Assert.Equal("float32", space.DType);
        env.Reset(seed: 0);
        var observation = env.Step(2).Observation;
        Assert.Equal([0f, 0f, 1f], observation[2..]);
        Assert.True(space.Contains(observation));

        using var discrete = new FlattenObservation(new TransformObservation(new CounterEnv(), (o, d) => d[0] = 3 + o[0], new Discrete(4, start: 3)));
        Assert.Equal("Box(0, 1, (4,), int64)", discrete.ObservationSpace.ToString());
        discrete.Reset(seed: 0);
        Assert.Equal([0f, 1f, 0f, 0f], discrete.Step(0).Observation);

        Assert.Equal([0f, 1f, 1f, 0f, 0f], SpaceFlatteningOf(new MultiDiscrete([2, 3]), [1f, 0f]));
    }

    [Fact]
    public void NormalizeObservation_requires_a_Box_and_reports_the_clipped_space()
    {
        using var env = new NormalizeObservation(new ContinuousEnv(), new NormalizeObservationOptions(Clip: 5));
        Assert.Equal("Box(-5, 5, (3,), float32)", env.ObservationSpace.ToString());
        var error = Assert.Throws<ArgumentException>(() => new NormalizeObservation(new DictObservationEnv()));
        Assert.StartsWith("NormalizeObservation: observation space Dict(", error.Message);
        Assert.EndsWith("is not supported; expected a Box.", error.Message);
    }

    [Fact]
    public void RecordEpisodeStatistics_reports_the_episode_duration()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        using var env = new RecordEpisodeStatistics(new CounterEnv(episodeLength: 2), clock);
        Assert.Null(env.LastEpisode);
        clock.Advance(100);
        env.Reset(seed: 0);
        clock.Advance(0.25);
        Assert.Same(EmptyInfo.Instance, env.Step(0).Info);
        clock.Advance(0.5);
        Assert.Equal(new EpisodeStatistics(3, 2, 0.75), env.Step(0).Info[RecordEpisodeStatistics.InfoKey]);
        env.Reset();
        Assert.Same(EmptyInfo.Instance, env.Info);
        Assert.Equal(3, env.LastReturn);
    }

    [Fact]
    public void A_stack_of_wrappers_steps_without_allocating()
    {
        using var env = new FrameStack(
            new NormalizeReward(new NormalizeObservation(new ClipAction(new RescaleAction(new ContinuousEnv(), -1, 1)))), 4);
        var observation = new float[env.ObservationSpace.FlatSize];
        float[] action = [0.1f, -0.1f];
        env.Reset(observation, seed: 0);
        for (int t = 0; t < 100; t++) env.Step(action, observation);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 1000; t++) env.Step(action, observation);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static float[] SpaceFlatteningOf(Space space, float[] value)
    {
        var flat = new float[SpaceFlattening.FlattenSpace(space).FlatSize];
        Assert.Equal(flat.Length, SpaceFlattening.Flatten(space, value, flat));
        return flat;
    }
}
