using System.CommandLine;
using Research.Abstractions.Environments;
using Research.Cli.Output;
using Research.Host.Catalog;
using Research.Host.Models;
using Research.Host.Training;
using Research.Rl.Imitation;

namespace Research.Cli.Commands;

/// <summary><c>research expert record</c>: record expert trajectories from an expert plugin, a saved model, or an algorithm trained first.</summary>
internal static class ExpertCommands
{
    public static Command Create(CliContext context)
    {
        var expert = new Command("expert", "Record expert demonstrations for imitation learning.");
        expert.Subcommands.Add(Record(context));
        return expert;
    }

    private static Command Record(CliContext context)
    {
        var source = new Argument<string>("source") { Description = "An expert plugin name, a saved model (.zip), or an algorithm name (trained first for --train-timesteps)." };
        var env = new Argument<string>("env") { Description = "An environment id (for example CartPole-v1)." };
        var episodes = new Option<int>("--episodes") { Description = "Episodes to record.", DefaultValueFactory = _ => 10 };
        var trainTimesteps = new Option<long>("--train-timesteps") { Description = "Timesteps to train an algorithm source before recording." };
        var seed = new Option<int?>("--seed") { Description = "Seed of the first reset (and of the algorithm trained first)." };
        var config = new Option<string[]>("--config") { Description = "Options of an algorithm source as key=value.", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output", "-o") { Description = "The .npz to write (Stable-Baselines' expert layout).", Required = true };
        var command = new Command("record", "Play a policy and save its trajectories as an expert .npz.") { source, env, episodes, trainTimesteps, seed, config, output };
        command.SetAction(parse =>
        {
            string from = parse.GetValue(source)!, id = parse.GetValue(env)!, path = parse.GetValue(output)!;
            int count = parse.GetValue(episodes);
            if (count < 1) throw new ArgumentException($"--episodes {count}: must be at least 1.");
            var options = new ExpertRecorderOptions { NEpisodes = count, Seed = parse.GetValue(seed) };
            var progress = new LineProgress(p => context.Out.WriteLine(
                $"episode {p.Episodes}/{count}: return {NumberText.Format(p.LastEpisodeReturn)}, {p.Timesteps} steps in total"));
            using var environment = context.Catalog.CreateEnvironment(id);
            var data = RecordFrom(context, from, id, environment, options, path, progress,
                parse.GetValue(trainTimesteps), parse.GetValue(seed), parse.GetValue(config) ?? []);
            context.Out.WriteLine($"wrote {data.EpisodeCount} episodes ({data.Count} transitions, mean return {NumberText.Format(data.EpisodeReturns.Average())}) to {path}");
            return Program.Success;
        });
        return command;
    }

    private static ExpertTrajectories RecordFrom(CliContext context, string source, string id, IEnv env, ExpertRecorderOptions options, string path,
        IProgress<RecordingProgress> progress, long trainTimesteps, int? seed, string[] config)
    {
        var catalog = context.Catalog;
        if (source.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            using var model = new ModelLoader(catalog).Load(source);
            return ExpertRecorder.Record(model.Algorithm.Predict, env, options, path, progress);
        }
        if (catalog.Experts.Any(e => string.Equals(e.Name, source, StringComparison.OrdinalIgnoreCase)))
            return ExpertRecorder.Record(catalog.CreateExpert(source), env, options, path, progress);
        if (!catalog.Algorithms.Any(e => string.Equals(e.Name, source, StringComparison.OrdinalIgnoreCase)))
            throw new PluginException($"'{source}' is neither an expert, a model file (.zip) nor an algorithm; see `research plugins list`.");
        if (trainTimesteps <= 0)
            throw new ArgumentException($"recording algorithm '{source}' needs --train-timesteps T > 0 (it is trained first).");
        var factory = new AlgorithmFactory(catalog);
        using var algorithm = factory.Create(factory.Plan(source, id, ConfigPairs.Parse(config), seed, trainTimesteps));
        context.Out.WriteLine($"training {source} on {id} for {trainTimesteps} timesteps");
        algorithm.Learn(trainTimesteps);
        return ExpertRecorder.Record(algorithm.Predict, env, options, path, progress);
    }

    /// <summary>Reports on the calling thread (<see cref="Progress{T}"/> would post to the thread pool and reorder lines).</summary>
    private sealed class LineProgress(Action<RecordingProgress> report) : IProgress<RecordingProgress>
    {
        public void Report(RecordingProgress value) => report(value);
    }
}
