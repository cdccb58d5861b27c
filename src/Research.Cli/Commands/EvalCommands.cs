using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Research.Abstractions.Environments;
using Research.Abstractions.Imaging;
using Research.Host.Models;
using Research.Rl.Algorithms;
using Research.Rl.Evaluation;
using Research.Storage;

namespace Research.Cli.Commands;

/// <summary><c>research eval &lt;model.zip&gt; &lt;env&gt;</c>: the mean ± std return of a saved model over whole episodes (SB3's <c>evaluate_policy</c>).</summary>
internal static class EvalCommands
{
    public static Command Create(CliContext context)
    {
        var modelPath = new Argument<string>("model") { Description = "A model .zip saved by research train (any algorithm)." };
        var env = new Argument<string>("env") { Description = "The environment id to evaluate on." };
        var episodes = new Option<int>("--episodes") { Description = "Episodes to play.", DefaultValueFactory = _ => 10 };
        var seed = new Option<int?>("--seed") { Description = "Seed of the first reset (later episodes continue the stream)." };
        var deterministic = new Option<bool>("--deterministic") { Description = "Act deterministically (true|false).", DefaultValueFactory = _ => true };
        var render = new Option<string?>("--render") { Description = "Also record one episode (same seed) to this animated GIF." };
        var json = new Option<bool>("--json") { Description = "Write the result as JSON." };
        var command = new Command("eval", "Evaluate a saved model: mean ± std of the episode return.") { modelPath, env, episodes, seed, deterministic, render, json };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(modelPath)!;
            string envId = parse.GetValue(env)!;
            bool isDeterministic = parse.GetValue(deterministic);
            int? firstSeed = parse.GetValue(seed);
            using var model = new ModelLoader(context.Catalog).Load(path);
            using var environment = context.Catalog.CreateEnvironment(envId);
            EnsureSpaces(model, environment, envId);
            var result = PolicyEvaluation.EvaluatePolicy(model.Algorithm.Predict, environment, parse.GetValue(episodes), isDeterministic, firstSeed);
            string? gif = parse.GetValue(render);
            if (gif is not null)
            {
                using var recordEnv = context.Catalog.CreateEnvironment(envId);
                RecordEpisode(model, recordEnv, firstSeed, isDeterministic, gif);
            }
            if (parse.GetValue(json))
                WriteJson(context.Out, path, model.Algorithm.Name, envId, isDeterministic, firstSeed, result);
            else
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{model.Algorithm.Name} {Path.GetFileName(path)} on {envId}: mean return {result.MeanReward:F2} ± {result.StdReward:F2} over {result.EpisodeRewards.Count} episodes (mean length {result.MeanLength:F1})"));
            if (gif is not null && !parse.GetValue(json)) context.Out.WriteLine($"wrote {gif}");
            return Program.Success;
        });
        return command;
    }

    /// <summary>Refuses an environment whose spaces differ from the model's, naming both.</summary>
    public static void EnsureSpaces(LoadedModel model, IEnv env, string envId)
    {
        if (!SpaceJson.AreEqual(model.ObservationSpace, env.ObservationSpace))
            throw new ModelFormatException($"{model.Path}: the model's observation space {model.ObservationSpace} does not match {envId}'s {env.ObservationSpace}.");
        if (!SpaceJson.AreEqual(model.ActionSpace, env.ActionSpace))
            throw new ModelFormatException($"{model.Path}: the model's action space {model.ActionSpace} does not match {envId}'s {env.ActionSpace}.");
    }

    // One whole episode (reset frame to final frame), written complete-or-absent.
    private static void RecordEpisode(LoadedModel model, IEnv env, int? seed, bool deterministic, string path)
    {
        var observation = new float[env.ObservationSpace.FlatSize];
        var action = new float[env.ActionSpace.FlatSize];
        AtomicFile.Write(path, file =>
        {
            env.Reset(observation, seed);
            var frame = env.Render();
            using var encoder = new GifEncoder(file, frame.Width, frame.Height, 33, leaveOpen: true);
            encoder.AddFrame(frame);
            StepOutcome outcome;
            do
            {
                model.Algorithm.Predict(observation, action, deterministic);
                outcome = env.Step(action, observation);
                encoder.AddFrame(env.Render());
            }
            while (!outcome.Done);
        });
    }

    private static void WriteJson(TextWriter output, string path, string algorithm, string env, bool deterministic, int? seed, EvaluationResult result)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("model", path);
            writer.WriteString("algorithm", algorithm);
            writer.WriteString("environment", env);
            writer.WriteNumber("episodes", result.EpisodeRewards.Count);
            writer.WriteBoolean("deterministic", deterministic);
            if (seed is { } s) writer.WriteNumber("seed", s);
            else writer.WriteNull("seed");
            writer.WriteNumber("mean_reward", result.MeanReward);
            writer.WriteNumber("std_reward", result.StdReward);
            writer.WriteNumber("mean_length", result.MeanLength);
            writer.WriteNumber("std_length", result.StdLength);
            writer.WriteStartArray("episode_rewards");
            foreach (var r in result.EpisodeRewards) writer.WriteNumberValue(r);
            writer.WriteEndArray();
            writer.WriteStartArray("episode_lengths");
            foreach (var l in result.EpisodeLengths) writer.WriteNumberValue(l);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
