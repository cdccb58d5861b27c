using System.CommandLine;
using System.Reflection;
using Research.Abstractions.Algorithms;
using Research.Cli.Output;
using Research.Host.Catalog;
using Research.Host.Training;
using Research.Rl.Evaluation;
using Research.Rl.Imitation;
using Research.Rl.Imitation.Pretraining;

namespace Research.Cli.Commands;

/// <summary><c>research pretrain</c>: behaviour-clone an expert dataset into a new algorithm's policy and save the model.</summary>
internal static class PretrainCommands
{
    public static Command Create(CliContext context)
    {
        var algorithm = new Argument<string>("algorithm") { Description = "An algorithm name (for example PPO)." };
        var env = new Argument<string>("env") { Description = "An environment id (for example CartPole-v1)." };
        var dataset = new Option<string>("--dataset") { Description = "The expert .npz.", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Epochs over the training split.", DefaultValueFactory = _ => 10 };
        var learningRate = new Option<double>("--learning-rate") { Description = "Adam's learning rate for cloning.", DefaultValueFactory = _ => 1e-4 };
        var batchSize = new Option<int>("--batch-size") { Description = "Expert transitions per minibatch.", DefaultValueFactory = _ => 64 };
        var loss = new Option<CloningLoss>("--loss") { Description = "auto (MSE for Box actions, else NLL), NegativeLogLikelihood, MeanSquaredError.", DefaultValueFactory = _ => CloningLoss.Auto };
        var evalEpisodes = new Option<int>("--eval-episodes") { Description = "Deterministic episodes played afterwards (0: none).", DefaultValueFactory = _ => 10 };
        var seed = new Option<int?>("--seed") { Description = "Seed of the algorithm, the data split and the evaluation." };
        var config = new Option<string[]>("--config") { Description = "Algorithm options as key=value.", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string?>("--output", "-o") { Description = "The model .zip to write." };
        var trajLimitation = new Option<int>("--traj-limitation") { Description = "Expert episodes used from the start of the data (-1: all).", DefaultValueFactory = _ => -1 };
        var trainFraction = new Option<double>("--train-fraction") { Description = "Fraction of the data cloned; the rest validates (1: no validation split).", DefaultValueFactory = _ => 0.7 };
        var initFrom = TrainCommands.InitFromOption();
        var command = new Command("pretrain", "Behaviour-clone an expert dataset into an algorithm's policy (SB2's pretrain) and save the model.")
            { algorithm, env, dataset, epochs, learningRate, batchSize, loss, evalEpisodes, seed, config, output, trajLimitation, trainFraction, initFrom };
        command.SetAction(parse =>
        {
            string name = parse.GetValue(algorithm)!, id = parse.GetValue(env)!;
            var catalog = context.Catalog;
            int? seedValue = parse.GetValue(seed);
            var factory = new AlgorithmFactory(catalog);
            var entry = catalog.Get<AlgorithmEntry>(name);
            string? from = parse.GetValue(initFrom);
            var overrides = ConfigPairs.Parse(parse.GetValue(config) ?? []);
            var configMap = from is null ? overrides : ConfigPairs.Merge(ConfigPairs.FromSavedModel(from, entry.Name), overrides);
            using var run = (EnvironmentOwningAlgorithm)factory.Create(factory.Plan(name, id, configMap, seedValue));
            if (from is not null) run.RestoreCheckpoint(from, CheckpointRestore.KeepCurrentOptions);
            var model = run.Inner;
            using var data = ExpertDataset.Load(parse.GetValue(dataset)!, new ExpertDatasetOptions
            {
                BatchSize = parse.GetValue(batchSize),
                Verbose = 0,
                Seed = seedValue ?? 0,
                TrajLimitation = parse.GetValue(trajLimitation),
                TrainFraction = parse.GetValue(trainFraction),
            });
            int total = parse.GetValue(epochs);
            using var report = EpochReport.For(context.Out, total);
            Pretrain(entry, model, data, total, parse.GetValue(learningRate), parse.GetValue(loss), report);
            int episodes = parse.GetValue(evalEpisodes);
            if (episodes > 0)
            {
                using var evalEnv = catalog.CreateEnvironment(id);
                var result = PolicyEvaluation.EvaluatePolicy(model.Predict, evalEnv, episodes, deterministic: true, seed: seedValue);
                context.Out.WriteLine($"deterministic return over {episodes} episodes: {NumberText.Format(result.MeanReward)} ± {NumberText.Format(result.StdReward)}");
            }
            if (parse.GetValue(output) is { } path)
            {
                model.Save(path);
                context.Out.WriteLine($"saved {path}");
            }
            return Program.Success;
        });
        return command;
    }

    /// <summary>Calls <see cref="PretrainExtensions.Pretrain{TOptions}"/> with the algorithm's options type, which only the catalog knows here.</summary>
    private static IReadOnlyList<PretrainEpoch> Pretrain(AlgorithmEntry entry, IAlgorithm model, ExpertDataset data, int epochs, double learningRate, CloningLoss loss,
        IProgress<PretrainEpoch> progress)
    {
        var method = typeof(PretrainExtensions).GetMethod(nameof(PretrainExtensions.Pretrain))!;
        var generic = method.MakeGenericMethod(entry.OptionsType);
        if (!generic.GetParameters()[0].ParameterType.IsInstanceOfType(model))
            throw new PluginException($"algorithm '{entry.Name}' cannot be pretrained: it is not built on AlgorithmBase, so it exposes no policy to clone into.");
        try
        {
            return (IReadOnlyList<PretrainEpoch>)generic.Invoke(null, [model, data, epochs, learningRate, 1e-8, null, loss, progress])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw inner;
        }
    }
}

/// <summary>
/// Pretraining progress: a progress bar on an interactive terminal; otherwise (redirected output, <c>CI</c> set, tests) one line
/// every max(1, epochs / 10) epochs and for the last, so SB2's <c>n_epochs=1000</c> prints 10 lines, not 1,000.
/// </summary>
internal sealed class EpochReport : IProgress<PretrainEpoch>, IDisposable
{
    private readonly TextWriter _output;
    private readonly int _total, _every;
    private readonly Spectre.Console.ProgressTask? _bar;
    private readonly Task? _display;
    private readonly TaskCompletionSource _done = new();

    private EpochReport(TextWriter output, int total, bool interactive)
    {
        _output = output;
        _total = total;
        _every = Math.Max(1, total / 10);
        if (!interactive) return;
        var ready = new TaskCompletionSource<Spectre.Console.ProgressTask>();
        _display = Spectre.Console.AnsiConsole.Progress().StartAsync(async progress =>
        {
            ready.SetResult(progress.AddTask("pretrain", maxValue: total));
            await _done.Task;
        });
        _bar = ready.Task.GetAwaiter().GetResult();
    }

    public static EpochReport For(TextWriter output, int total) =>
        new(output, total, ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected &&
                           string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) && Spectre.Console.AnsiConsole.Profile.Capabilities.Interactive);

    public void Report(PretrainEpoch epoch)
    {
        if (_bar is not null)
        {
            _bar.Increment(1);
            _bar.Description = $"pretrain: train_loss {NumberText.Format(epoch.TrainLoss)}";
            return;
        }
        if (epoch.Epoch % _every != 0 && epoch.Epoch != _total) return;
        _output.WriteLine($"epoch {epoch.Epoch}/{_total}: train_loss {NumberText.Format(epoch.TrainLoss)}" +
            (double.IsNaN(epoch.ValidationLoss) ? "" : $", val_loss {NumberText.Format(epoch.ValidationLoss)}"));
    }

    public void Dispose()
    {
        _done.TrySetResult();
        _display?.GetAwaiter().GetResult();
    }
}
