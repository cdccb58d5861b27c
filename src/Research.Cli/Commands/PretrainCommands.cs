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
        var command = new Command("pretrain", "Behaviour-clone an expert dataset into an algorithm's policy (SB2's pretrain) and save the model.")
            { algorithm, env, dataset, epochs, learningRate, batchSize, loss, evalEpisodes, seed, config, output };
        command.SetAction(parse =>
        {
            string name = parse.GetValue(algorithm)!, id = parse.GetValue(env)!;
            var catalog = context.Catalog;
            int? seedValue = parse.GetValue(seed);
            var factory = new AlgorithmFactory(catalog);
            using var run = (EnvironmentOwningAlgorithm)factory.Create(factory.Plan(name, id, ConfigPairs.Parse(parse.GetValue(config) ?? []), seedValue));
            var model = run.Inner;
            using var data = ExpertDataset.Load(parse.GetValue(dataset)!,
                new ExpertDatasetOptions { BatchSize = parse.GetValue(batchSize), Verbose = 0, Seed = seedValue ?? 0 });
            var entry = catalog.Get<AlgorithmEntry>(name);
            var losses = Pretrain(entry, model, data, parse.GetValue(epochs), parse.GetValue(learningRate), parse.GetValue(loss));
            foreach (var epoch in losses)
                context.Out.WriteLine($"epoch {epoch.Epoch}: train_loss {NumberText.Format(epoch.TrainLoss)}" +
                    (double.IsNaN(epoch.ValidationLoss) ? "" : $", val_loss {NumberText.Format(epoch.ValidationLoss)}"));
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
    private static IReadOnlyList<PretrainEpoch> Pretrain(AlgorithmEntry entry, IAlgorithm model, ExpertDataset data, int epochs, double learningRate, CloningLoss loss)
    {
        var method = typeof(PretrainExtensions).GetMethod(nameof(PretrainExtensions.Pretrain))!;
        var generic = method.MakeGenericMethod(entry.OptionsType);
        if (!generic.GetParameters()[0].ParameterType.IsInstanceOfType(model))
            throw new PluginException($"algorithm '{entry.Name}' cannot be pretrained: it is not built on AlgorithmBase, so it exposes no policy to clone into.");
        try
        {
            return (IReadOnlyList<PretrainEpoch>)generic.Invoke(null, [model, data, epochs, learningRate, 1e-8, null, loss])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw inner;
        }
    }
}
