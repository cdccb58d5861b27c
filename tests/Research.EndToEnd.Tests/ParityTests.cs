using Microsoft.Extensions.DependencyInjection;
using Research.Host;
using Research.Host.Catalog;
using Research.Host.Training;
using Research.Rl.Logging;
using Research.Tune;

namespace Research.EndToEnd.Tests;

/// <summary>
/// Every entry point is the same run: one sweep trial (<c>research trial run</c>'s code, budget from <c>stop.timesteps_total</c>)
/// and <c>research train</c> with the same algorithm, config and seed write the same rows — learning rate, clip range, exploration
/// rate, losses, returns — bit for bit (the CSVs hold doubles as Python's repr). Only wall-clock columns (<c>time/fps</c>,
/// <c>time/time_elapsed</c>) may differ.
/// </summary>
public sealed class ParityTests : IDisposable
{
    private const int Seed = 5;
    private static readonly Lazy<PluginCatalog> Catalog = new(() =>
        ResearchHost.CreateBuilder(o => o.UseEnvironmentVariable = false).Build().Services.GetRequiredService<PluginCatalog>());

    private readonly string _dir = Directory.CreateTempSubdirectory("research-parity-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string[], long, string> Runs => new()
    {
        { "PPO", ["n_envs=2", "n_steps=64", "batch_size=64", "n_epochs=2", "learning_rate=lin_0.001", "clip_range=lin_0.2"], 768, "train/clip_range" },
        { "A2C", ["n_envs=2", "n_steps=8", "learning_rate=lin_0.0007"], 480, "train/learning_rate" },
        { "DQN", ["learning_starts=64", "train_freq=16", "gradient_steps=4", "batch_size=32", "exploration_fraction=0.5", "learning_rate=lin_0.001", "target_update_interval=64"], 640, "rollout/exploration_rate" },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void A_sweep_trial_and_research_train_write_the_same_rows(string algorithm, string[] config, long timesteps, string scheduled)
    {
        string trainDir = Path.Combine(_dir, "train");
        var train = Cli.Run(["train", algorithm, "CartPole-v1", "--config", .. config, "--timesteps", timesteps.ToString(), "--seed", Seed.ToString(), "-o", trainDir]);
        Assert.True(train.ExitCode == 0, train.Error);

        string trialDir = Path.Combine(_dir, "trial");
        new TrialSpec
        {
            TrialId = "parity_00000",
            Index = 0,
            Algorithm = algorithm,
            Env = "CartPole-v1",
            Seed = Seed,
            Stop = new Dictionary<string, double> { ["timesteps_total"] = timesteps },
            Checkpoint = new CheckpointPolicy { AtEnd = false },
        }.Save(trialDir, ConfigPairs.Parse(config));
        string trialCsv = Path.Combine(trialDir, "sb3_progress.csv");
        int exit = TrialProcess.Run(trialDir, new AlgorithmFactory(Catalog.Value),
            new TrialProcessOptions { WatchDriver = false, SinkFactory = _ => [new CsvSink(trialCsv)] });
        Assert.Equal(TrialExitCodes.Finished, exit);

        var expected = Rows(Path.Combine(trainDir, "progress.csv"));
        var actual = Rows(trialCsv);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i], actual[i]);

        // The schedule followed the budget on both paths: the last row's value is below the first's.
        var values = actual.Where(r => r.TryGetValue(scheduled, out var v) && v.Length > 0)
            .Select(r => double.Parse(r[scheduled], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(values.Count > 1, $"no {scheduled} values");
        Assert.True(values[^1] < values[0], $"{scheduled} did not decay: {values[0]} → {values[^1]}");
    }

    /// <summary>The CSV's rows as column → value, without the wall-clock columns and the trial's own <c>ray/tune/…</c> copies of its result rows.</summary>
    private static List<SortedDictionary<string, string>> Rows(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var keep = Enumerable.Range(0, header.Length)
            .Where(i => header[i] is not ("time/fps" or "time/time_elapsed") && !header[i].StartsWith("ray/tune/", StringComparison.Ordinal)).ToArray();
        return lines.Skip(1).Select(l => l.Split(','))
            .Select(r => new SortedDictionary<string, string>(keep.ToDictionary(i => header[i], i => r[i]), StringComparer.Ordinal))
            .Where(r => r.Values.Any(v => v.Length > 0)) // the trial's last flush holds only its ray/tune values
            .ToList();
    }
}

/// <summary>A checkpoint directory is a model wherever a model file is, and training continues from either.</summary>
public sealed class CheckpointAsModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-ckpt-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Eval_predict_render_and_train_init_from_take_a_checkpoint_directory()
    {
        string checkpoint = Path.Combine(_dir, "checkpoint_000004");
        var catalog = ResearchHost.CreateBuilder(o => o.UseEnvironmentVariable = false).Build().Services.GetRequiredService<PluginCatalog>();
        var factory = new AlgorithmFactory(catalog);
        using (var ppo = factory.Create(factory.Plan("PPO", "CartPole-v1", ConfigPairs.Parse(["n_steps=32", "n_envs=2"]), seed: 1, timesteps: 1000)))
        {
            for (int i = 0; i < 4; i++) ppo.Train();
            ppo.SaveCheckpoint(checkpoint);
        }

        var eval = Cli.Run("eval", checkpoint, "CartPole-v1", "--episodes", "2", "--seed", "4");
        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.Contains("PPO checkpoint_000004 on CartPole-v1: mean return", eval.Out);

        string obs = Path.Combine(_dir, "obs.npy");
        Research.Tensors.Io.Npy.Write(obs, new Research.Tensors.Io.NpyArray(new float[] { 0.01f, 0.02f, 0.03f, 0.04f }, 4));
        var predict = Cli.Run("predict", checkpoint, "--obs", obs, "--deterministic", "-o", Path.Combine(_dir, "act.npy"));
        Assert.True(predict.ExitCode == 0, predict.Error);

        var render = Cli.Run("env", "render", "CartPole-v1", "--policy", "model:" + checkpoint, "--steps", "5", "-o", Path.Combine(_dir, "r.gif"));
        Assert.True(render.ExitCode == 0, render.Error);

        string continued = Path.Combine(_dir, "continued");
        var train = Cli.Run("train", "PPO", "CartPole-v1", "--init-from", checkpoint, "--timesteps", "128", "-o", continued);
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("continuing from", train.Out);
        var data = Research.Rl.Algorithms.ModelArchive.ReadData(Path.Combine(continued, "model.zip"));
        Assert.Equal(4 * 64 + 128, data.GetProperty("num_timesteps").GetInt64());
        Assert.Equal(32, data.GetProperty("options").GetProperty("n_steps").GetInt32());

        var wrongAlgorithm = Cli.Run("train", "A2C", "CartPole-v1", "--init-from", checkpoint, "--timesteps", "128", "-o", Path.Combine(_dir, "a2c"));
        Assert.Equal(1, wrongAlgorithm.ExitCode);
        Assert.Contains("was saved by PPO, not A2C", wrongAlgorithm.Error);
        var wrongSpaces = Cli.Run("train", "PPO", "Pendulum-v1", "--init-from", checkpoint, "--timesteps", "128", "-o", Path.Combine(_dir, "pendulum"));
        Assert.Equal(1, wrongSpaces.ExitCode);
        Assert.Contains("does not match", wrongSpaces.Error);
    }
}
