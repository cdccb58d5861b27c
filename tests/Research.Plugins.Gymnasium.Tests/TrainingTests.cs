using System.Text.Json.Nodes;
using Research.Abstractions.Options;
using Research.Plugins.ClassicControl;
using Research.Plugins.OnPolicy;
using Research.Rl.Algorithms;
using Research.Rl.Evaluation;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;
using Research.Rl.Wrappers.Atari;

namespace Research.Plugins.Gymnasium.Tests;

public sealed class TrainingTests
{
    // The zoo's PPO CartPole-v1 entry; seed 6 is the one the C# learning test uses (OnPolicy.Tests.LearningTests).
    private static PpoOptions ZooPpoCartPole(int seed) => new()
    {
        Seed = seed, NEnvs = 8, NSteps = 32, BatchSize = 256, GaeLambda = 0.8, Gamma = 0.98, NEpochs = 20, EntCoef = 0,
        LearningRate = Schedule.Linear(1e-3), ClipRange = Schedule.Linear(0.2),
    };

    [Fact]
    public void Ppo_learns_the_Python_CartPole_through_the_bridge_to_the_CSharp_threshold_bit_for_bit_as_on_the_CSharp_env()
    {
        // 8 envs in 2 workers. The port follows the C# dynamics bit for bit, so training through the bridge must give the very
        // weights training on the C# CartPole gives; then the C# test's bar: mean deterministic return >= 200 after 25k steps.
        using var bridged = Bridge.Vector("CartPole", 8, workers: 2);
        using var ppo = new Ppo(bridged, ZooPpoCartPole(6));
        ppo.Learn(25_000);
        using var local = new SyncVectorEnv(_ => new TimeLimit(new CartPoleEnv(), 500), 8);
        using var reference = new Ppo(local, ZooPpoCartPole(6));
        reference.Learn(25_000);
        Assert.Equal(reference.GetPolicy().StateDict().Values.Select(t => t.ToArray()), ppo.GetPolicy().StateDict().Values.Select(t => t.ToArray()));
        double mean = PolicyEvaluation.EvaluatePolicy(ppo.Predict, new TimeLimit(new CartPoleEnv(), 500), 10, deterministic: true, seed: 1000).MeanReward;
        Assert.True(mean >= 200, $"mean deterministic return {mean} < 200");
    }

    [Fact]
    public void A_checkpoint_says_the_Python_envs_are_not_saved_and_a_restore_continues_with_fresh_envs()
    {
        string dir = Path.Combine(Path.GetTempPath(), "bridge-checkpoint-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var env = new VecNormalize(Bridge.Vector("CartPole", 2)))
            using (var ppo = new Ppo(env, ZooPpoCartPole(1) with { NEnvs = 2 }))
            {
                ppo.Learn(256);
                ppo.SaveCheckpoint(dir);
            }
            string note = File.ReadAllText(Path.Combine(dir, AlgorithmBase<PpoOptions>.NotRestorableFile));
            Assert.Contains("Python environments behind the Gymnasium bridge cannot be saved; a run restored from this checkpoint starts fresh episodes", note);

            using var again = new VecNormalize(Bridge.Vector("CartPole", 2));
            using var restored = new Ppo(again, ZooPpoCartPole(1) with { NEnvs = 2 });
            restored.RestoreCheckpoint(dir);
            Assert.Equal(256, restored.NumTimesteps);
            Assert.True(again.ObservationStatistics!.Count > 256, "VecNormalize statistics were restored");
            restored.Learn(256, resetNumTimesteps: false);
            Assert.Equal(512, restored.NumTimesteps);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void SB3s_Atari_wrappers_run_in_CSharp_on_the_raw_frames_of_a_bridged_ALE_like_env()
    {
        // The family builds one GymEnv per env under MakeAtariEnv's monitor + AtariWrapper, grouped by worker; lives come from
        // info["lives"] and the action meanings from the handshake.
        var family = new GymnasiumFamily();
        var request = new Rl.VectorEnvs.EnvironmentFamilyRequest(
            new Dictionary<string, object?> { ["frames_per_life"] = 20 },
            new Dictionary<string, object?> { ["python"] = Bridge.Python, ["python_path"] = Bridge.Fixtures, ["workers"] = 2, ["render_mode"] = "none" },
            (env, i) => MakeAtariEnv.Wrap(env, i));
        using var vec = new VecFrameStack(family.CreateVectorEnvironment("bridge_fixtures:Arcade", 4, request), 4);
        Assert.Equal("Box(0, 255, (84, 84, 4), uint8)", vec.SingleObservationSpace.ToString());
        Assert.NotNull(VectorEnvStack.Find<INonRestorableVectorEnv>(vec));
        vec.Reset(seed: 3);
        var actions = new float[] { 0, 1, 2, 3 };
        int lifeEnds = 0;
        var games = new List<EpisodeRecord>();
        for (int t = 0; t < 40 && games.Count < 4; t++)
        {
            vec.Step(actions);
            lifeEnds += vec.Terminated.Count(x => x);
            games.AddRange(vec.CompletedEpisodes);
        }
        Assert.True(games.Count >= 4, $"{games.Count} games ended");
        // Each game's two lost lives terminate a step; the game over itself may fall in a reset's FIRE press (as in SB3).
        Assert.True(lifeEnds >= 2 * games.Count, $"{lifeEnds} lost lives for {games.Count} games");
        Assert.All(games, g => Assert.Equal(60, g.Length));
        Assert.All(vec.Rewards, r => Assert.InRange(r, -1f, 1f));
    }
}
