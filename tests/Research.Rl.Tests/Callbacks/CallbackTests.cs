using Research.Abstractions.Algorithms;
using Research.Rl.Callbacks;
using Research.Rl.Tests.Buffers;
using Research.Rl.VectorEnvs;

namespace Research.Rl.Tests.Callbacks;

public sealed class CallbackTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rl-callbacks-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static LambdaCallback Logging(List<string> log, string name, bool continueTraining = true) => new(
        onStep: _ => { log.Add($"{name}.step"); return continueTraining; },
        onIterationEnd: (_, _) => { log.Add($"{name}.iteration"); return continueTraining; },
        onTrainingStart: _ => log.Add($"{name}.start"),
        onTrainingEnd: _ => log.Add($"{name}.end"));

    [Fact]
    public void A_callback_list_calls_every_callback_in_order_and_stops_if_any_asks()
    {
        var log = new List<string>();
        var algorithm = new FakeAlgorithm();
        var list = new CallbackList(Logging(log, "a", continueTraining: false), Logging(log, "b"));
        list.OnTrainingStart(algorithm);
        Assert.False(list.OnStep(algorithm));
        Assert.False(list.OnIterationEnd(algorithm, new ResultRow()));
        list.OnTrainingEnd(algorithm);
        Assert.Equal(["a.start", "b.start", "a.step", "b.step", "a.iteration", "b.iteration", "a.end", "b.end"], log);
        Assert.True(new CallbackList(Logging(log, "c"), Logging(log, "d")).OnStep(algorithm));
        Assert.True(new LambdaCallback().OnStep(algorithm));
    }

    [Fact]
    public void Eval_callback_evaluates_every_k_steps_logs_saves_the_best_and_writes_the_history()
    {
        var algorithm = new FakeAlgorithm();
        var sink = new Logging.RecordingSink();
        algorithm.MetricsSinks.Add(sink);
        var output = new StringWriter();
        var options = new EvalCallbackOptions
        {
            EvalFreq = 2, NEvalEpisodes = 2, Seed = 3,
            BestModelSavePath = Path.Combine(_directory, "best"), LogPath = Path.Combine(_directory, "logs"),
        };
        var env = new Evaluation.ScriptedEnv(3);
        var eval = new EvalCallback(env, options, output: output);
        eval.OnTrainingStart(algorithm);

        var steps = new List<bool>();
        foreach (var (timesteps, action) in new[] { (4, 0f), (8, 0f), (12, 0f), (16, 1f), (20, 1f), (24, 0f) })
        {
            algorithm.NumTimesteps = timesteps;
            algorithm.Action = action;
            steps.Add(eval.OnStep(algorithm));
        }
        Assert.All(steps, Assert.True);

        // Evaluations at calls 2, 4, 6: mean rewards 3, 6, 3; the best (6) was saved at 16 timesteps.
        Assert.Equal([8L, 16L, 24L], eval.Evaluations.Timesteps);
        Assert.Equal((6d, 3d), (eval.BestMeanReward, eval.LastMeanReward));
        var best = Path.Combine(_directory, "best", "best_model.zip");
        Assert.Equal([best, best], algorithm.SavedPaths);
        Assert.Equal("model at 16", File.ReadAllText(best));
        Assert.Equal([3, null, null, null, null, null], env.ResetSeeds);

        var rewards = sink.Scalars.Where(s => s.Tag == "eval/mean_reward").Select(s => (s.Value, s.Step));
        Assert.Equal([(3d, 8L), (6d, 16L), (3d, 24L)], rewards);
        Assert.Contains(sink.Scalars, s => s is ("eval/mean_ep_length", 3, 8));
        Assert.Equal(3, sink.Flushes);

        var json = File.ReadAllText(Path.Combine(_directory, "logs", "evaluations.json"));
        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("[8,16,24]", document.RootElement.GetProperty("timesteps").GetRawText().Replace(" ", "").Replace("\n", "").Replace("\r", ""));
        Assert.Equal(3, document.RootElement.GetProperty("results").GetArrayLength());
        Assert.Equal(6, document.RootElement.GetProperty("results")[1][0].GetDouble());
        Assert.Equal(3, document.RootElement.GetProperty("ep_lengths")[2][1].GetInt32());
        Assert.Contains("Eval num_timesteps=16, episode_reward=6.00 +/- 0.00", output.ToString());
        Assert.Contains("New best mean reward!", output.ToString());
    }

    [Fact]
    public void Reward_threshold_stops_training_when_a_new_best_reaches_it()
    {
        var algorithm = new FakeAlgorithm();
        var stop = new StopTrainingOnRewardThreshold(rewardThreshold: 5);
        var eval = new EvalCallback(new Evaluation.ScriptedEnv(3), new EvalCallbackOptions { EvalFreq = 1, NEvalEpisodes = 1, Verbose = 0 }, callbackOnNewBest: stop);
        Assert.Same(eval, stop.Parent);
        eval.OnTrainingStart(algorithm);
        Assert.True(eval.OnStep(algorithm)); // mean 3 < 5
        algorithm.Action = 1;
        Assert.False(eval.OnStep(algorithm)); // mean 6 ≥ 5

        var alone = Assert.Throws<InvalidOperationException>(() => new StopTrainingOnRewardThreshold(1).OnStep(algorithm));
        Assert.Contains("must be passed to an EvalCallback", alone.Message);
    }

    [Fact]
    public void No_model_improvement_stops_after_more_than_the_allowed_evaluations_without_a_new_best()
    {
        var algorithm = new FakeAlgorithm();
        var eval = new EvalCallback(new Evaluation.ScriptedEnv(3), new EvalCallbackOptions { EvalFreq = 1, NEvalEpisodes = 1, Verbose = 0 },
            callbackAfterEval: new StopTrainingOnNoModelImprovement(maxNoImprovementEvals: 1));
        eval.OnTrainingStart(algorithm);
        Assert.Equal([true, true, false], Enumerable.Range(0, 3).Select(_ => eval.OnStep(algorithm)).ToList());
    }

    [Fact]
    public void Checkpoints_are_saved_every_k_calls_under_the_prefix_and_timesteps()
    {
        var algorithm = new FakeAlgorithm();
        var path = Path.Combine(_directory, "checkpoints");
        var checkpoint = new CheckpointCallback(saveFreq: 2, path, namePrefix: "ppo");
        checkpoint.OnTrainingStart(algorithm);
        for (int call = 1; call <= 5; call++)
        {
            algorithm.NumTimesteps = 4 * call;
            Assert.True(checkpoint.OnStep(algorithm));
        }
        Assert.Equal([Path.Combine(path, "ppo_8_steps.zip"), Path.Combine(path, "ppo_16_steps.zip")], algorithm.SavedPaths);
        Assert.True(File.Exists(Path.Combine(path, "ppo_16_steps.zip")));
    }

    [Fact]
    public void Max_episodes_counts_finished_episodes_over_all_envs()
    {
        var env = new FakeVectorEnv(2, 1);
        var stop = new StopTrainingOnMaxEpisodes(env, maxEpisodes: 2);
        var algorithm = new FakeAlgorithm();
        var results = new List<bool>();
        foreach (int finished in new[] { 1, 0, 2, 1 })
        {
            env.Completed.Clear();
            env.Completed.AddRange(Enumerable.Range(0, finished).Select(i => new EpisodeRecord(i, 1, 1)));
            results.Add(stop.OnStep(algorithm));
        }
        Assert.Equal([true, true, true, false], results);
        Assert.Equal(4, stop.Episodes);
    }

    [Fact]
    public void Progress_prints_plain_lines_every_tenth_when_not_drawing_a_bar()
    {
        var output = new StringWriter();
        var progress = new ProgressBarCallback(100, output);
        Assert.False(progress.DrawsBar);
        var algorithm = new FakeAlgorithm { NumTimesteps = 1000 }; // continuing a run: progress counts from here
        progress.OnTrainingStart(algorithm);
        foreach (long done in new[] { 5, 25, 26, 50, 75 })
        {
            algorithm.NumTimesteps = 1000 + done;
            progress.OnStep(algorithm);
        }
        algorithm.NumTimesteps = 1100;
        progress.OnTrainingEnd(algorithm);
        Assert.Equal(
            ["Progress: 20% (25/100 timesteps)", "Progress: 50% (50/100 timesteps)", "Progress: 70% (75/100 timesteps)", "Progress: 100% (100/100 timesteps)"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
