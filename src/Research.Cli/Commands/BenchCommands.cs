using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Research.Abstractions.Options;
using Research.Host.Catalog;
using Research.Host.Training;
using Research.Rl.Benchmarking;

namespace Research.Cli.Commands;

/// <summary><c>research bench</c>: wall time, steps/s and final return over seeds, beside Stable-Baselines3's published wall time where known.</summary>
internal static class BenchCommands
{
    /// <summary>SB3's wall-clock seconds for one run (SB3-RESULTS), by algorithm, environment and budget (runs overshoot the budget to whole iterations).</summary>
    private static readonly Dictionary<(string Algorithm, string Environment, long Timesteps), double> Sb3Seconds = new()
    {
        [("PPO", "CartPole-v1", 100_000)] = 48.9,
        [("DQN", "CartPole-v1", 50_000)] = 119,
        [("A2C", "CartPole-v1", 100_000)] = 23.4,
        [("SAC", "Pendulum-v1", 20_000)] = 227,
    };

    /// <summary>The issue's list, trained at the zoo's budgets.</summary>
    private static readonly (string Algorithm, string Environment)[] Suite =
    [
        ("PPO", "CartPole-v1"), ("A2C", "CartPole-v1"), ("DQN", "CartPole-v1"),
        ("DQN", "MountainCar-v0"), ("DQN", "Acrobot-v1"),
        ("PPO", "Acrobot-v1"), ("PPO", "Pendulum-v1"), ("PPO", "MountainCarContinuous-v0"),
        ("SAC", "Pendulum-v1"), ("TD3", "Pendulum-v1"), ("DDPG", "Pendulum-v1"), ("SAC", "MountainCarContinuous-v0"),
    ];

    public static Command Create(CliContext context)
    {
        var algorithm = new Option<string>("--algo") { Description = "Algorithm to benchmark.", DefaultValueFactory = _ => "PPO" };
        var env = new Option<string>("--env") { Description = "Environment to benchmark on.", DefaultValueFactory = _ => "CartPole-v1" };
        var seeds = new Option<string?>("--seeds") { Description = "Comma-separated seeds (default 0,1,2; 0-4 with --suite)." };
        var timesteps = new Option<long?>("--timesteps") { Description = "Budget per run (default: the zoo's n_timesteps with --hyperparams zoo, else 100000)." };
        var hyperparams = TrainCommands.HyperparamsOption();
        var evalEpisodes = new Option<int>("--eval-episodes") { Description = "Deterministic episodes of the final evaluation.", DefaultValueFactory = _ => 20 };
        var suite = new Option<bool>("--suite") { Description = "Run the whole list (PPO/A2C/DQN × CartPole, DQN MountainCar/Acrobot, PPO Acrobot/Pendulum/MountainCarContinuous, SAC/TD3/DDPG Pendulum, SAC MountainCarContinuous) with zoo hyperparameters; takes hours." };
        var config = TrainCommands.ConfigOption();
        var json = new Option<bool>("--json") { Description = "Write the rows as JSON." };
        var command = new Command("bench", "Train and time algorithms over seeds; report wall time, steps/s and final return.")
            { algorithm, env, seeds, timesteps, hyperparams, config, evalEpisodes, suite, json };
        command.SetAction(parse =>
        {
            var catalog = context.Catalog;
            var factory = new AlgorithmFactory(catalog);
            bool isSuite = parse.GetValue(suite);
            var seedList = ParseSeeds(parse.GetValue(seeds) ?? (isSuite ? "0,1,2,3,4" : "0,1,2"));
            var cases = isSuite ? Suite : [(parse.GetValue(algorithm)!, parse.GetValue(env)!)];
            string? source = isSuite ? parse.GetValue(hyperparams) ?? "zoo" : parse.GetValue(hyperparams);
            bool writeJson = parse.GetValue(json);
            var rows = new List<(BenchRow Row, long Budget)>();
            var skipped = new List<(string Algorithm, string Environment, string Reason)>();
            if (!writeJson) WriteHeader(context.Out);
            foreach (var (algo, id) in cases)
            {
                TrainingSetup setup;
                try
                {
                    long? budget = parse.GetValue(timesteps) ?? (source is null ? 100_000 : null);
                    setup = TrainingSetup.Resolve(factory, algo, id, source, ConfigPairs.Parse(parse.GetValue(config) ?? []), budget);
                }
                catch (Exception e) when (isSuite && e is OptionsException or PluginException or IOException)
                {
                    skipped.Add((algo, id, e.Message));
                    if (!writeJson) context.Out.WriteLine($"{algo} {id}: skipped: {e.Message}");
                    continue;
                }
                var benchCase = new BenchCase(catalog.Get<AlgorithmEntry>(algo).Name, catalog.Get<EnvironmentEntry>(id).Name,
                    seed => factory.Create(setup.Algorithm, setup.Environment, setup.Config, seed),
                    () => catalog.CreateEnvironment(setup.Environment));
                var caseRows = new List<BenchRow>();
                foreach (var row in BenchHarness.Run([benchCase], seedList, setup.Timesteps, parse.GetValue(evalEpisodes)))
                {
                    caseRows.Add(row);
                    if (!writeJson) WriteRow(context.Out, row, setup.Timesteps);
                }
                rows.AddRange(caseRows.Select(r => (r, setup.Timesteps)));
                if (!writeJson && caseRows.Count > 1) WriteSummary(context.Out, caseRows, setup.Timesteps);
            }
            if (writeJson) WriteJson(context.Out, rows, skipped);
            return Program.Success;
        });
        return command;
    }

    private static List<int> ParseSeeds(string text)
    {
        var seeds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            seeds.Add(int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed)
                ? seed
                : throw new FormatException($"--seeds '{text}': '{part}' is not an integer (expected e.g. 0,1,2)."));
        return seeds.Count > 0 ? seeds : throw new FormatException($"--seeds '{text}' names no seeds.");
    }

    private static double? PeerSeconds(BenchRow row, long budget) =>
        Sb3Seconds.TryGetValue((row.Algorithm, row.Environment, budget), out var s) ? s : null;

    private static void WriteHeader(TextWriter output) =>
        output.WriteLine($"{"algo",-5} {"env",-26} {"seed",5} {"timesteps",10} {"wall s",8} {"steps/s",9} {"eval return",18} {"SB3 wall s",10}");

    private static void WriteRow(TextWriter output, BenchRow row, long budget)
    {
        string peer = PeerSeconds(row, budget) is { } p ? p.ToString("F1", CultureInfo.InvariantCulture) : "-";
        string evaluation = string.Create(CultureInfo.InvariantCulture, $"{row.MeanReturn:F1} ± {row.StdReturn:F1}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{row.Algorithm,-5} {row.Environment,-26} {row.Seed,5} {row.Timesteps,10} {row.WallSeconds,8:F2} {row.StepsPerSecond,9:F0} {evaluation,18} {peer,10}"));
    }

    private static void WriteSummary(TextWriter output, IReadOnlyList<BenchRow> rows, long budget)
    {
        double wall = rows.Average(r => r.WallSeconds);
        double mean = rows.Average(r => r.MeanReturn);
        string peer = PeerSeconds(rows[0], budget) is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"; SB3 {p:F1} s ({p / wall:F1}x)")
            : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rows[0].Algorithm} {rows[0].Environment}: mean over {rows.Count} seeds: wall {wall:F2} s, return {mean:F1}{peer}"));
    }

    private static void WriteJson(TextWriter output, IReadOnlyList<(BenchRow Row, long Budget)> rows, IReadOnlyList<(string Algorithm, string Environment, string Reason)> skipped)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("rows");
            foreach (var (row, budget) in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("algorithm", row.Algorithm);
                writer.WriteString("environment", row.Environment);
                writer.WriteNumber("seed", row.Seed);
                writer.WriteNumber("timesteps", row.Timesteps);
                writer.WriteNumber("wall_seconds", row.WallSeconds);
                writer.WriteNumber("steps_per_second", row.StepsPerSecond);
                writer.WriteNumber("mean_return", row.MeanReturn);
                writer.WriteNumber("std_return", row.StdReturn);
                if (PeerSeconds(row, budget) is { } peer) writer.WriteNumber("sb3_wall_seconds", peer);
                else writer.WriteNull("sb3_wall_seconds");
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("skipped");
            foreach (var (algo, env, reason) in skipped)
            {
                writer.WriteStartObject();
                writer.WriteString("algorithm", algo);
                writer.WriteString("environment", env);
                writer.WriteString("reason", reason);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
