using Research.Abstractions.Spaces;
using Research.Rl.Tests.VectorEnvs;
using Research.Rl.VectorEnvs;

namespace Research.Rl.Tests.Images;

public sealed class VecFrameStackTests
{
    private static float[] Frame(int episode, int step, int size) =>
        Enumerable.Range(0, size).Select(k => PixelEnv.Pixel(episode, step, k)).ToArray();

    // SB3's channel-last stacking of (H, W, C) frames: per pixel, k·C values, oldest frame first.
    private static float[] StackLast(int pixels, int channels, params float[][] frames)
    {
        var stacked = new float[pixels * channels * frames.Length];
        for (int p = 0; p < pixels; p++)
            for (int f = 0; f < frames.Length; f++)
                for (int c = 0; c < channels; c++)
                    stacked[(p * frames.Length + f) * channels + c] = frames[f][p * channels + c];
        return stacked;
    }

    [Fact]
    public void Channel_last_images_stack_on_the_last_axis_with_zeros_after_reset_as_SB3()
    {
        using var env = new VecFrameStack(new SyncVectorEnv(_ => new PixelEnv([3, 2, 2], episodeLength: 5), 2), 3);
        Assert.Equal("Box(0, 255, (3, 2, 6), uint8)", env.SingleObservationSpace.ToString());
        env.Reset(seed: 0);
        var zeros = new float[12];
        Assert.Equal(StackLast(6, 2, zeros, zeros, Frame(0, 0, 12)), env.Observations[..36]);
        env.Step([0f, 1f]);
        env.Step([0f, 1f]);
        Assert.Equal(StackLast(6, 2, Frame(0, 0, 12), Frame(0, 1, 12), Frame(0, 2, 12)), env.Observations[..36]);
        env.Step([0f, 1f]);
        Assert.Equal(StackLast(6, 2, Frame(0, 1, 12), Frame(0, 2, 12), Frame(0, 3, 12)), env.Observations[36..]);
    }

    [Fact]
    public void An_ended_episode_keeps_its_last_frames_as_terminal_observation_and_the_next_starts_from_zeros()
    {
        using var env = new VecFrameStack(new SyncVectorEnv(_ => new PixelEnv([2, 2, 1], episodeLength: 3), 1), 2);
        env.Reset(seed: 0);
        for (int t = 0; t < 3; t++) env.Step([0f]);
        Assert.True(env.Terminated[0]);
        Assert.Equal(StackLast(4, 1, Frame(0, 2, 4), Frame(0, 3, 4)), env.TerminalObservations);
        Assert.Equal(StackLast(4, 1, new float[4], Frame(1, 0, 4)), env.Observations);
    }

    [Fact]
    public void Channel_first_images_and_vectors_stack_on_their_first_and_last_axis()
    {
        using var first = new VecFrameStack(new SyncVectorEnv(_ => new PixelEnv([1, 3, 3]), 1), 4);
        Assert.Equal("Box(0, 255, (4, 3, 3), uint8)", first.SingleObservationSpace.ToString());
        first.Reset(seed: 0);
        first.Step([0f]);
        Assert.Equal([.. new float[18], .. Frame(0, 0, 9), .. Frame(0, 1, 9)], first.Observations);

        using var vector = new VecFrameStack(new SyncVectorEnv(_ => new CounterEnv(episodeLength: 10), 1), 2);
        Assert.Equal([4], vector.SingleObservationSpace.Shape);
        vector.Reset(seed: 1);
        var reset = vector.Observations[2..].ToArray();
        vector.Step([0f]);
        Assert.Equal(reset, vector.Observations[..2]);
        Assert.Equal(1f, vector.Observations[2]);

        using var forced = new VecFrameStack(new SyncVectorEnv(_ => new PixelEnv([3, 2, 2]), 1), 2, StackAxis.First);
        Assert.Equal("Box(0, 255, (6, 2, 2), uint8)", forced.SingleObservationSpace.ToString());
    }

    [Fact]
    public void Dict_observations_stack_key_by_key_and_bounds_are_tiled_per_frame()
    {
        using var env = new VecFrameStack(new SyncVectorEnv(_ => new BoundsEnv(), 1), 2);
        var dict = Assert.IsType<DictSpace>(env.SingleObservationSpace);
        var box = Assert.IsType<Box>(dict["position"]);
        Assert.Equal([4], box.Shape);
        Assert.Equal([-1f, -2f, -1f, -2f], box.Low);
        Assert.Equal([1f, 2f, 1f, 2f], box.High);
    }

    [Fact]
    public void Refuses_spaces_it_cannot_stack_and_restores_its_state()
    {
        var error = Assert.Throws<ArgumentException>(() => new VecFrameStack(new SyncVectorEnv(_ => new DictObservationEnv(), 1), 2));
        Assert.StartsWith("VecFrameStack: observation space Dict(", error.Message);
        Assert.EndsWith("is not supported; expected a Box or a DictSpace of Boxes.", error.Message);

        using var env = new VecFrameStack(new SyncVectorEnv(_ => new PixelEnv([2, 2, 1], episodeLength: 4), 2), 3);
        env.Reset(seed: 3);
        VectorEnvTesting.Run(env, 0, 5);
        var state = VectorEnvTesting.SaveState(env);
        var expected = VectorEnvTesting.Run(env, 5, 6);
        using var restored = new VecFrameStack(new SyncVectorEnv(_ => new PixelEnv([2, 2, 1], episodeLength: 4), 2), 3);
        VectorEnvTesting.LoadState(restored, state);
        Assert.Equal(expected, VectorEnvTesting.Run(restored, 5, 6));
    }

    [Fact]
    public void A_step_allocates_nothing()
    {
        using var env = new VecFrameStack(new SyncVectorEnv(_ => new PixelEnv([84, 84, 1], episodeLength: 7), 4), 4);
        env.Reset(seed: 0);
        var actions = new float[4];
        for (int t = 0; t < 10; t++) env.Step(actions);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 30; t++) env.Step(actions);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void VecTransposeImage_reorders_observations_and_terminal_observations_to_channel_first()
    {
        using var env = new VecTransposeImage(new SyncVectorEnv(_ => new PixelEnv([3, 4, 2], episodeLength: 2), 1));
        Assert.Equal("Box(0, 255, (2, 3, 4), uint8)", env.SingleObservationSpace.ToString());
        env.Reset(seed: 0);
        float[] Transposed(float[] hwc) => [.. Enumerable.Range(0, 12).Select(p => hwc[p * 2]), .. Enumerable.Range(0, 12).Select(p => hwc[p * 2 + 1])];
        Assert.Equal(Transposed(Frame(0, 0, 24)), env.Observations);
        env.Step([0f]);
        env.Step([0f]);
        Assert.Equal(Transposed(Frame(0, 2, 24)), env.TerminalObservations);
        Assert.Equal(Transposed(Frame(1, 0, 24)), env.Observations);

        var error = Assert.Throws<ArgumentException>(() => new VecTransposeImage(new SyncVectorEnv(_ => new PixelEnv([1, 3, 3]), 1)));
        Assert.StartsWith("VecTransposeImage: observation space Box(0, 255, (1, 3, 3), uint8) is not supported; expected a channel-last image", error.Message);
    }

    private sealed class BoundsEnv : TestEnv
    {
        public override Space ObservationSpace { get; } = new DictSpace([new("position", new Box([-1f, -2f], [1f, 2f]))]);
        public override Space ActionSpace { get; } = new Discrete(2);
        protected override void OnReset(Span<float> observation) => observation.Clear();
        protected override Abstractions.Environments.StepOutcome OnStep(ReadOnlySpan<float> action, Span<float> observation) => new(0, false, false);
    }
}
