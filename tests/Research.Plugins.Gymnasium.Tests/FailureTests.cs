using System.Text.Json.Nodes;
using Research.Rl.Bridge;
using Research.Rl.VectorEnvs;

namespace Research.Plugins.Gymnasium.Tests;

public sealed class FailureTests
{
    [Fact]
    public void A_Python_exception_in_step_names_the_env_the_worker_and_the_Python_error_and_a_reset_recovers()
    {
        // Env 3 (the second env of worker 1) fails at its third step; envs 0-2 fail too (same script), env 0 is reported first.
        using var env = Bridge.Vector("Faulty", 4, workers: 2, kwargs: new JsonObject { ["fail_at"] = 3 });
        env.Reset(seed: 0);
        env.Step(new float[4]);
        env.Step(new float[4]);
        var error = Assert.Throws<VectorEnvException>(() => env.Step(new float[4]));
        Assert.Equal(0, error.EnvIndex);
        Assert.StartsWith("GymVectorEnv(bridge_fixtures:Faulty) worker 0 (pid ", error.Message);
        Assert.Contains("envs 0–1): env 0 failed during Step: ValueError: planned failure at step 3", error.Message);
        var remote = Assert.IsType<BridgeRemoteException>(error.InnerException);
        Assert.Equal("ValueError", remote.RemoteType);
        Assert.Contains("Traceback (most recent call last)", remote.Traceback);
        Assert.Contains("bridge_fixtures.py", remote.Traceback);
        Assert.Throws<InvalidOperationException>(() => env.Step(new float[4]));  // needs a reset, as VectorEnvBase

        env.Reset(seed: 1);
        env.Step(new float[4]);
        Assert.Equal([1f, 1f], env.Observations[..2]);  // the second episode, one step in
    }

    [Fact]
    public void A_worker_killed_mid_step_is_reported_with_its_envs_and_signal_and_the_env_is_not_used_again()
    {
        using var env = Bridge.Vector("Crashing", 2, workers: 2, kwargs: new JsonObject { ["crash_at"] = 2 });
        env.Reset(seed: 0);
        env.Step(new float[2]);
        var error = Assert.Throws<VectorEnvException>(() => env.Step(new float[2]));
        var failure = Assert.IsType<GymWorkerException>(error.InnerException);
        Assert.Matches(@"^worker 0 \(pid \d+, env 0\) stopped during STEP \(exit code (137|-9)(, signal 9)?\)", failure.Message);
        Assert.Equal(0, error.EnvIndex);
        var again = Assert.Throws<InvalidOperationException>(() => env.Reset());
        Assert.Contains("a worker failed, so it cannot be used again", again.Message);
    }

    [Fact]
    public void A_hung_worker_is_killed_after_the_timeout()
    {
        using var env = Bridge.Vector("Hanging", 1, kwargs: new JsonObject { ["hang_at"] = 2 }, timeout: 1.5);
        env.Reset(seed: 0);
        env.Step([0f]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<VectorEnvException>(() => env.Step([0f]));
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.4, 30);
        Assert.Matches(@"worker 0 \(pid \d+, env 0\) did not answer STEP within 1\.5 s \(timeout\) and was killed", error.InnerException!.Message);
    }

    [Fact]
    public void A_malformed_frame_is_refused_before_anything_is_read_into_memory()
    {
        using var env = Bridge.Vector("Malformed", 1, kwargs: new JsonObject { ["garble_at"] = 2 });
        env.Reset(seed: 0);
        env.Step([0f]);
        var error = Assert.Throws<VectorEnvException>(() => env.Step([0f]));
        Assert.Matches(@"worker 0 \(pid \d+, env 0\) broke the protocol during STEP: .*malformed frame: length 2147483647 is outside 1 … \d+ bytes", error.InnerException!.Message);
    }

    [Fact]
    public void Start_failures_name_the_interpreter_or_the_Python_error()
    {
        var missing = Assert.Throws<GymWorkerException>(() => new GymVectorEnv("CartPole-v1", 1, [],
            Bridge.Options() with { Python = "/nonexistent/python3" }, GymnasiumFamily.BridgePath));
        Assert.StartsWith("Gymnasium: could not start worker 0 with Python '/nonexistent/python3'", missing.Message);

        var module = Assert.Throws<GymWorkerException>(() => Bridge.Vector("NoSuchEnv", 1));
        Assert.Contains("could not create 'bridge_fixtures:NoSuchEnv': AttributeError", module.Message);
    }
}
