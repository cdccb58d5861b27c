using Research.Cli;

namespace Research.Plugins.Imitation.Tests;

public class CliTests
{
    private static (int Code, string Out, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(args, output, error, o => o.UseEnvironmentVariable = false);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Record_then_pretrain_writes_a_model_that_balances_cartpole()
    {
        string data = ExpertData.TempPath("cli-expert.npz"), model = ExpertData.TempPath("cli-model.zip");
        var record = Run("expert", "record", "cartpole-pid", "CartPole-v1", "--episodes", "5", "--seed", "0", "-o", data);
        Assert.True(record.Code == 0, record.Error);
        Assert.Contains("episode 5/5: return 500, 2500 steps in total", record.Out);
        Assert.Contains($"wrote 5 episodes (2500 transitions, mean return 500) to {data}", record.Out);

        var pretrain = Run("pretrain", "PPO", "CartPole-v1", "--dataset", data, "--epochs", "15", "--learning-rate", "1e-3", "--seed", "0", "-o", model);
        Assert.True(pretrain.Code == 0, pretrain.Error);
        Assert.Contains("epoch 15/15: train_loss", pretrain.Out);
        // Not a terminal: a line every 15 / 10 = 1 epoch here; 40 epochs print 10 lines.
        Assert.Equal(15, pretrain.Out.Split('\n').Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)));
        Assert.True(File.Exists(model));
        string line = pretrain.Out.Split('\n').Single(l => l.StartsWith("deterministic return", StringComparison.Ordinal));
        double mean = double.Parse(line.Split(": ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(mean >= 400, line);

        var replay = Run("expert", "record", model, "CartPole-v1", "--episodes", "2", "--seed", "1", "-o", ExpertData.TempPath("from-model.npz"));
        Assert.True(replay.Code == 0, replay.Error);
        Assert.Contains("wrote 2 episodes", replay.Out);
    }

    [Fact]
    public void Record_from_an_algorithm_trains_it_first_and_needs_timesteps()
    {
        var missing = Run("expert", "record", "A2C", "CartPole-v1", "-o", ExpertData.TempPath("a2c.npz"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("needs --train-timesteps", missing.Error);
        var trained = Run("expert", "record", "A2C", "CartPole-v1", "--train-timesteps", "500", "--episodes", "1", "--seed", "0", "-o", ExpertData.TempPath("a2c.npz"));
        Assert.True(trained.Code == 0, trained.Error);
        Assert.Contains("training A2C on CartPole-v1 for 500 timesteps", trained.Out);
    }

    [Fact]
    public void Bad_sources_and_datasets_are_clear_errors()
    {
        var unknown = Run("expert", "record", "nobody", "CartPole-v1", "-o", ExpertData.TempPath("x.npz"));
        Assert.Equal(1, unknown.Code);
        Assert.Contains("'nobody' is neither an expert, a model file (.zip) nor an algorithm", unknown.Error);
        var wrongEnv = Run("pretrain", "PPO", "Pendulum-v1", "--dataset", ExpertData.CartPole, "--epochs", "1");
        Assert.Equal(1, wrongEnv.Code);
        Assert.Contains(ExpertData.CartPole, wrongEnv.Error);
    }

    [Fact]
    public void Pretrain_takes_traj_limitation_a_whole_train_fraction_prints_every_tenth_epoch_and_starts_from_a_model()
    {
        string model = ExpertData.TempPath("bc-first.zip");
        var first = Run("pretrain", "PPO", "CartPole-v1", "--dataset", ExpertData.CartPole, "--epochs", "40", "--traj-limitation", "2",
            "--train-fraction", "1", "--eval-episodes", "0", "--seed", "0", "--config", "n_steps=64", "-o", model);
        Assert.True(first.Code == 0, first.Error);
        var epochLines = first.Out.Split('\n').Where(l => l.StartsWith("epoch ", StringComparison.Ordinal)).ToList();
        Assert.Equal(10, epochLines.Count);
        Assert.StartsWith("epoch 4/40: train_loss", epochLines[0]);
        Assert.DoesNotContain("val_loss", first.Out);

        string second = ExpertData.TempPath("bc-second.zip");
        var again = Run("pretrain", "PPO", "CartPole-v1", "--dataset", ExpertData.CartPole, "--epochs", "1", "--init-from", model,
            "--eval-episodes", "0", "-o", second);
        Assert.True(again.Code == 0, again.Error);
        var data = Research.Rl.Algorithms.ModelArchive.ReadData(second);
        Assert.Equal(64, data.GetProperty("options").GetProperty("n_steps").GetInt32());
    }
}
