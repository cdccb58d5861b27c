using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Research.Abstractions.Algorithms;
using Research.Host.Training;
using Research.Rl.Logging;
using Research.TensorBoard;

namespace Research.Cli.Commands;

/// <summary><c>research train &lt;algo&gt; &lt;env&gt;</c>: train with the algorithm's defaults, the zoo's hyperparameters or a file, and save <c>model.zip</c>.</summary>
internal static class TrainCommands
{
    public static Command Create(CliContext context)
    {
        var algorithm = new Argument<string>("algo") { Description = "An algorithm name (for example PPO)." };
        var env = new Argument<string>("env") { Description = "An environment id (for example CartPole-v1)." };
        var config = ConfigOption();
        var hyperparams = HyperparamsOption();
        var timesteps = new Option<long?>("--timesteps") { Description = "Environment steps to train for (default: the zoo's n_timesteps)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the algorithm and its environments.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--output", "-o") { Description = "Folder for model.zip and progress.csv (default results/train/<algo>_<env>_<seed>)." };
        var tensorboard = new Option<string?>("--tensorboard-log") { Description = "Also write TensorBoard event files to <dir>/<ALGO>_<n>." };
        var progress = new Option<bool>("--progress-bar") { Description = "Show a progress bar." };
        var verbose = VerboseOption();
        var initFrom = InitFromOption();
        var command = new Command("train", "Train an algorithm on an environment and save the model.")
            { algorithm, env, config, hyperparams, timesteps, seed, output, tensorboard, progress, verbose, initFrom };
        command.SetAction(parse =>
        {
            var catalog = context.Catalog;
            var factory = new AlgorithmFactory(catalog);
            var overrides = ConfigPairs.Parse(parse.GetValue(config) ?? []);
            if (parse.GetValue(verbose) is { } level) overrides["verbose"] = level;
            int runSeed = parse.GetValue(seed);
            string? from = parse.GetValue(initFrom);
            var setup = TrainingSetup.Resolve(factory, parse.GetValue(algorithm)!, parse.GetValue(env)!, parse.GetValue(hyperparams), overrides,
                parse.GetValue(timesteps), runSeed, from);
            var plan = setup.Plan;
            string algorithmName = plan.Algorithm.Name;
            string envName = plan.Environment.Name;
            string directory = parse.GetValue(output) ?? Path.Combine("results", "train", $"{algorithmName}_{envName}_{runSeed}");
            Directory.CreateDirectory(directory);
            string tbRoot = parse.GetValue(tensorboard) ?? "";
            using var csv = new CsvSink(Path.Combine(directory, "progress.csv"));
            using var tb = tbRoot.Length > 0 ? new TensorBoardSink(TensorBoardRuns.Next(tbRoot, algorithmName)) : null;
            using var trained = factory.Create(plan);
            if (from is not null)
            {
                // SB3's load + set_env + learn(reset_num_timesteps=False): the plan's options stay, the state comes from the file.
                trained.RestoreCheckpoint(from, CheckpointRestore.KeepCurrentOptions);
                context.Out.WriteLine($"continuing from {from} at {trained.NumTimesteps} timesteps");
            }
            StdoutTable.RouteTo(trained, context.Out);
            trained.MetricsSinks.Add(csv);
            if (tb is not null) trained.MetricsSinks.Add(tb);
            if (setup.HyperparameterFile is not null) context.Out.WriteLine($"hyperparameters: {setup.HyperparameterFile}");
            var clock = Stopwatch.StartNew();
            trained.Learn(plan.Timesteps!.Value, progressBar: parse.GetValue(progress), resetNumTimesteps: from is null);
            double seconds = clock.Elapsed.TotalSeconds;
            string model = Path.Combine(directory, "model.zip");
            trained.Save(model);
            context.Out.WriteLine($"trained {algorithmName} on {envName} for {trained.NumTimesteps} timesteps in {seconds:F1} s ({trained.NumTimesteps / Math.Max(seconds, 1e-9):F0} steps/s)");
            context.Out.WriteLine($"saved {model}");
            return Program.Success;
        });
        return command;
    }

    /// <summary><c>--verbose [N]</c>: the algorithm's verbosity (1 prints SB3's table per iteration), as SB3's <c>verbose</c>; stack traces are <c>--debug</c>.</summary>
    private static Option<int?> VerboseOption() => new("--verbose")
    {
        Description = "0: silent, 1 (the default when given without a number): SB3's table of metrics per iteration.",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result => result.Tokens.Count == 0 ? 1
            : int.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int level) ? level
            : throw new FormatException($"--verbose '{result.Tokens[0].Value}' is not a number (0 or 1)."),
    };

    /// <summary><c>--init-from &lt;model.zip|checkpoint_dir&gt;</c>: continue training from a saved model or a checkpoint.</summary>
    public static Option<string?> InitFromOption() => new("--init-from")
    {
        Description = "Continue from a model.zip or a checkpoint directory (its options are the base config; --hyperparams and --config override them; timesteps keep counting).",
    };

    /// <summary><c>--config key=value</c>, repeatable.</summary>
    public static Option<string[]> ConfigOption() => new("--config", "-c")
    {
        Description = "A hyperparameter as key=value (repeatable; wins over --hyperparams), e.g. n_steps=64, normalize=true, vec_env=parallel.",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary><c>--hyperparams zoo|&lt;file&gt;</c>.</summary>
    public static Option<string?> HyperparamsOption() => new("--hyperparams")
    {
        Description = "zoo (experiments/hyperparams/<algo>.yaml) or a YAML file in the zoo's layout.",
    };
}

/// <summary>Makes SB3's per-iteration table (added by algorithms when <c>verbose ≥ 1</c>) print to the command's output.</summary>
internal static class StdoutTable
{
    public static void RouteTo(IAlgorithm algorithm, TextWriter output)
    {
        var tables = algorithm.MetricsSinks.OfType<StdoutSink>().ToList();
        foreach (var table in tables) algorithm.MetricsSinks.Remove(table);
        if (tables.Count > 0) algorithm.MetricsSinks.Add(new StdoutSink(output));
    }
}

/// <summary>TensorBoard run folders named as Stable-Baselines names them: <c>&lt;root&gt;/&lt;ALGO&gt;_&lt;n&gt;</c> with the next free n.</summary>
internal static class TensorBoardRuns
{
    public static string Next(string root, string algorithm)
    {
        int last = 0;
        if (Directory.Exists(root))
            foreach (var dir in Directory.GetDirectories(root, algorithm + "_*"))
                if (int.TryParse(Path.GetFileName(dir)[(algorithm.Length + 1)..], out int n))
                    last = Math.Max(last, n);
        return Path.Combine(root, $"{algorithm}_{last + 1}");
    }
}
