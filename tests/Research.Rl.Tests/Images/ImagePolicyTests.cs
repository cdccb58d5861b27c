using Research.Abstractions.Spaces;
using Research.Rl.Policies;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;
using Research.Tensors;

namespace Research.Rl.Tests.Images;

public sealed class ImagePolicyTests
{
    private static Box Image(params int[] shape) => new(0, 255, shape, "uint8");

    [Theory]
    [InlineData(new[] { 84, 84, 4 }, 1, 4, true)]
    [InlineData(new[] { 84, 84, 12 }, 1, 12, true)]  // VecFrameStack of RGB: channels are the smallest dimension
    [InlineData(new[] { 4, 84, 84 }, 1, 4, false)]
    [InlineData(new[] { 4, 84, 84, 1 }, 4, 1, true)]  // FrameStack of an (84, 84, 1) image
    [InlineData(new[] { 3, 1, 84, 84 }, 3, 1, false)]
    public void Image_layouts_follow_SB3s_channel_rule_and_count_stacked_frames_as_channels(int[] shape, int frames, int channels, bool last)
    {
        var layout = ImageLayout.Of(Image(shape));
        Assert.NotNull(layout);
        Assert.Equal((frames, channels, last), (layout.Frames, layout.FrameChannels, layout.ChannelsLast));
        Assert.Equal(84, layout.Height);
    }

    [Fact]
    public void Non_images_are_not_images()
    {
        Assert.Null(ImageLayout.Of(new Box(0, 255, [84, 84, 4])));          // float32
        Assert.Null(ImageLayout.Of(new Box(0, 10, [84, 84, 4], "uint8")));  // SB3 also wants bounds 0 and 255
        Assert.Null(ImageLayout.Of(Image(84, 84)));
        Assert.Null(ImageLayout.Of(new Discrete(3)));
    }

    [Fact]
    public void A_frame_stack_of_an_image_env_gets_the_CNN_not_an_MLP()
    {
        using var stacked = new FrameStack(new PixelEnv([84, 84, 1]), 4);
        var policy = new ActorCriticPolicy(stacked.ObservationSpace, new Discrete(4), new PolicyOptions(), new Generator(0), "PPO");
        var conv = policy.StateDict()["features_extractor.cnn.0.weight"];
        Assert.Equal([32, 4, 8, 8], conv.Shape.ToArray());

        using var vec = new VecFrameStack(new SyncVectorEnv(_ => new PixelEnv([84, 84, 1]), 1), 4);
        var vecPolicy = new ActorCriticPolicy(vec.SingleObservationSpace, new Discrete(4), new PolicyOptions(), new Generator(0), "PPO");
        Assert.Equal([32, 4, 8, 8], vecPolicy.StateDict()["features_extractor.cnn.0.weight"].Shape.ToArray());
    }

    [Fact]
    public void FrameStack_and_VecFrameStack_layouts_give_the_same_features_for_the_same_frames()
    {
        // Four 40×40×2 frames, as FrameStack lays them out (k, H, W, C) and as VecFrameStack does (H, W, k·C).
        const int k = 4, h = 40, w = 40, c = 2;
        var frames = Enumerable.Range(0, k).Select(f => TestImages.Pattern(h, w, c, "noise").Select(v => (v + 31 * f) % 256).ToArray()).ToArray();
        var frameStack = frames.SelectMany(f => f).ToArray();
        var vecStack = new float[k * h * w * c];
        for (int p = 0; p < h * w; p++)
            for (int f = 0; f < k; f++)
                for (int ch = 0; ch < c; ch++)
                    vecStack[(p * k + f) * c + ch] = frames[f][p * c + ch];
        var a = new NatureCnn([k, h, w, c], 16, new Generator(5));
        var b = new NatureCnn([h, w, k * c], 16, new Generator(5));
        var fa = a.Forward(Tensor.FromArray(frameStack, 1, frameStack.Length)).ToArray();
        var fb = b.Forward(Tensor.FromArray(vecStack, 1, vecStack.Length)).ToArray();
        Assert.Equal(fa, fb);
    }
}
