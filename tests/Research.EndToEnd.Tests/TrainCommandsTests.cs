using System.Text.Json;
using Research.Rl.Algorithms;
using Research.Tensors.Io;

namespace Research.EndToEnd.Tests;

/// <summary>One small PPO model trained through the CLI, shared by the tests that read it.</summary>
public sealed class TrainedModel : IDisposable
{
    public TrainedModel()
    {
        Run = Cli.Run("train", "PPO", "CartPole-v1", "--config", "n_steps=64", "--timesteps", "2048", "--seed", "3", "-o", Directory,
            "--tensorboard-log", Path.Combine(Directory, "tb"));
    }

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("research-train-").FullName;

    public string ModelPath => Path.Combine(Directory, "model.zip");

    internal Cli Run { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

public sealed class TrainCommandsTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-traincli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Train_writes_a_model_progress_csv_and_tensorboard_events()
    {
        Assert.Equal(0, trained.Run.ExitCode);
        Assert.Contains("trained PPO on CartPole-v1 for 2048 timesteps", trained.Run.Out);
        var data = ModelArchive.ReadData(trained.ModelPath);
        Assert.Equal("PPO", data.GetProperty("algorithm").GetString());
        Assert.Equal(2048, data.GetProperty("num_timesteps").GetInt64());
        Assert.Equal(64, data.GetProperty("options").GetProperty("n_steps").GetInt32());
        Assert.Equal(3, data.GetProperty("options").GetProperty("seed").GetInt32());
        var csv = File.ReadAllLines(Path.Combine(trained.Directory, "progress.csv"));
        Assert.Contains("time/total_timesteps", csv[0].Split(','));
        Assert.Equal(2048 / 64, csv.Length - 1);
        Assert.Single(Directory.GetFiles(Path.Combine(trained.Directory, "tb", "PPO_1"), "events.out.tfevents.*"));
    }

    [Fact]
    public void Eval_loads_the_model_and_reports_json()
    {
        var run = Cli.Run("eval", trained.ModelPath, "CartPole-v1", "--episodes", "3", "--seed", "7", "--json");

        Assert.Equal(0, run.ExitCode);
        var json = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal("PPO", json.GetProperty("algorithm").GetString());
        var rewards = json.GetProperty("episode_rewards").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.Equal(3, rewards.Count);
        Assert.Equal(rewards.Average(), json.GetProperty("mean_reward").GetDouble(), 9);
        Assert.All(rewards, r => Assert.InRange(r, 1, 500));
        // Deterministic policy and a seeded env: the same command gives the same episodes.
        Assert.Equal(run.Out, Cli.Run("eval", trained.ModelPath, "CartPole-v1", "--episodes", "3", "--seed", "7", "--json").Out);
    }

    [Fact]
    public void Eval_renders_one_episode_to_a_gif()
    {
        string gif = Path.Combine(_dir, "episode.gif");

        var run = Cli.Run("eval", trained.ModelPath, "CartPole-v1", "--episodes", "1", "--seed", "0", "--render", gif);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("mean return", run.Out);
        Assert.Equal("GIF89a"u8.ToArray(), File.ReadAllBytes(gif)[..6]);
    }

    [Fact]
    public void Eval_on_an_environment_with_other_spaces_names_both()
    {
        var run = Cli.Run("eval", trained.ModelPath, "Pendulum-v1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("does not match Pendulum-v1", run.Error);
    }

    [Fact]
    public void Eval_of_a_corrupt_zip_names_the_file()
    {
        string bad = Path.Combine(_dir, "broken.zip");
        File.WriteAllText(bad, "not a zip");

        var run = Cli.Run("eval", bad, "CartPole-v1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{bad}: not a model file", run.Error);
    }

    [Fact]
    public void Predict_writes_one_action_per_observation_and_probabilities_that_agree()
    {
        string obs = Path.Combine(_dir, "obs.npy"), actions = Path.Combine(_dir, "actions.npy"), probs = Path.Combine(_dir, "probs.npy");
        var generator = new Random(1);
        var batch = Enumerable.Range(0, 6 * 4).Select(_ => (float)(generator.NextDouble() - 0.5) * 0.2f).ToArray();
        Npy.Write(obs, new NpyArray(batch, 6, 4));

        var act = Cli.Run("predict", trained.ModelPath, "--obs", obs, "--deterministic", "-o", actions);
        var prob = Cli.Run("predict", trained.ModelPath, "--obs", obs, "--probs", "-o", probs);

        Assert.Equal(0, act.ExitCode);
        Assert.Equal(0, prob.ExitCode);
        var a = Npy.Read(actions);
        Assert.Equal([6], a.Shape);
        Assert.Equal(NpyDType.Int64, a.DType);
        var p = Npy.Read(probs);
        Assert.Equal([6, 2], p.Shape);
        var values = p.AsFloat32();
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(1f, values[2 * i] + values[2 * i + 1], 5);
            Assert.Equal(values[2 * i + 1] > values[2 * i] ? 1L : 0L, a.AsInt64()[i]);
        }
    }

    [Fact]
    public void Predict_of_observations_with_the_wrong_shape_names_the_file()
    {
        string obs = Path.Combine(_dir, "wide.npy");
        Npy.Write(obs, new NpyArray(new float[10], 2, 5));

        var run = Cli.Run("predict", trained.ModelPath, "--obs", obs, "-o", Path.Combine(_dir, "out.npy"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{obs}: observations of shape (2, 5) do not fit", run.Error);
        Assert.Contains("expected (4,) or (batch, 4)", run.Error);
    }

    [Fact]
    public void Env_rollout_plays_a_saved_model_deterministically()
    {
        var first = Cli.Run("env", "rollout", "CartPole-v1", "--seed", "0", "--policy", "model:" + trained.ModelPath);
        var second = Cli.Run("env", "rollout", "CartPole-v1", "--seed", "0", "--policy", "model:" + trained.ModelPath);

        Assert.Equal(0, first.ExitCode);
        var end = JsonDocument.Parse(first.OutLines[^1]).RootElement;
        Assert.Equal("end", end.GetProperty("type").GetString());
        Assert.Equal(first.Out, second.Out);
    }
}

public sealed class TrainOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-trainopts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Train_with_the_zoo_hyperparameters_uses_the_entry()
    {
        var run = Cli.Run("train", "PPO", "CartPole-v1", "--hyperparams", "zoo", "--timesteps", "2048", "-o", _dir);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("ppo.yaml", run.Out);
        var options = ModelArchive.ReadData(Path.Combine(_dir, "model.zip")).GetProperty("options");
        Assert.Equal(8, options.GetProperty("n_envs").GetInt32());
        Assert.Equal(32, options.GetProperty("n_steps").GetInt32());
        Assert.Equal(0.98, options.GetProperty("gamma").GetDouble());
        Assert.Equal("lin_0.001", options.GetProperty("learning_rate").GetString());
    }

    [Fact]
    public void An_unknown_config_key_fails_naming_it_and_the_nearest()
    {
        var run = Cli.Run("train", "PPO", "CartPole-v1", "--config", "n_stepz=64", "--timesteps", "64", "-o", _dir);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'n_stepz'", run.Error);
        Assert.Contains("did you mean 'n_steps'", run.Error);
        Assert.False(File.Exists(Path.Combine(_dir, "model.zip")));
    }

    [Fact]
    public void Without_a_budget_train_asks_for_one()
    {
        var run = Cli.Run("train", "PPO", "CartPole-v1", "-o", _dir);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--timesteps", run.Error);
    }

    [Fact]
    public void Bench_reports_a_row_per_seed_as_json()
    {
        var run = Cli.Run("bench", "--timesteps", "2048", "--seeds", "0", "--eval-episodes", "2", "--json");

        Assert.Equal(0, run.ExitCode);
        var rows = JsonDocument.Parse(run.Out).RootElement.GetProperty("rows").EnumerateArray().ToList();
        var row = Assert.Single(rows);
        Assert.Equal("PPO", row.GetProperty("algorithm").GetString());
        Assert.Equal(0, row.GetProperty("seed").GetInt32());
        Assert.Equal(2048, row.GetProperty("timesteps").GetInt64());
        Assert.True(row.GetProperty("steps_per_second").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("sb3_wall_seconds").ValueKind);
    }
}
