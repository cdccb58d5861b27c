using Research.Abstractions.Environments;
using Research.Plugins.Box2D.CarRacing;
using Research.Plugins.OnPolicy;
using Research.Rl.Policies;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;
using Research.Rl.Wrappers.Images;

namespace Research.Plugins.Box2D.Tests;

/// <summary>CarRacing's pixels through the image pipeline as the zoo's PPO entry composes it: frame skip, resize, grey, a stack of
/// two frames, reward normalization, and a PPO whose policy is the NatureCNN.</summary>
public sealed class PixelPipelineTests
{
    // The zoo's env_wrapper list, innermost first, over the registry's TimeLimit.
    private static IEnv ZooCarRacing() =>
        new GrayScaleObservation(new ResizeObservation(new FrameSkip(new TimeLimit(new CarRacingEnv(), 1000), 2), 64, 64), keepDim: true);

    [Fact]
    public void The_zoo_s_CarRacing_pipeline_gives_stacked_grey_frames_and_a_CNN_policy_that_trains()
    {
        using var vec = new VecNormalize(new VecFrameStack(new SyncVectorEnv(_ => ZooCarRacing(), 2), 2),
            new VecNormalizeOptions(NormObs: false, NormReward: true));
        Assert.Equal("Box(0, 255, (64, 64, 2), uint8)", vec.SingleObservationSpace.ToString());

        var ppo = new Ppo(vec, new PpoOptions
        {
            Seed = 0, NEnvs = 2, NSteps = 16, BatchSize = 16, NEpochs = 1, UseSde = true, SdeSampleFreq = 4,
            PolicyKwargs = new PolicyOptions { LogStdInit = -2, OrthoInit = false, NetArch = new NetArchOptions { Pi = [256], Vf = [256] } },
        });
        var weights = ppo.Policy.StateDict();
        Assert.Equal([32, 2, 8, 8], weights["features_extractor.cnn.0.weight"].Shape.ToArray());
        ppo.Learn(64);
        Assert.Equal(64, ppo.NumTimesteps);

        var action = new float[3];
        ppo.Predict(vec.Observations.AsSpan(0, 64 * 64 * 2), action, deterministic: true);
        Assert.All(action, a => Assert.True(float.IsFinite(a)));
    }

    [Fact]
    public void Frame_skip_halves_the_steps_and_the_time_limit_still_ends_the_episode_at_1000_env_steps()
    {
        using var env = new FrameSkip(new TimeLimit(new CarRacingEnv(), 1000), 2);
        var obs = new float[96 * 96 * 3];
        env.Reset(obs, seed: 0);
        int steps = 0;
        StepOutcome outcome;
        do
        {
            outcome = env.Step([0f, 0f, 0f], obs);
            steps++;
        } while (!outcome.Done);
        Assert.True(outcome.Truncated);
        Assert.Equal(500, steps);
        var car = Assert.IsType<CarRacingEnv>(env.Unwrapped);
        Assert.Equal(-0.1 * 1000 + car.TilesVisited * 1000.0 / car.Track.Count, car.Score, 6);
    }
}
