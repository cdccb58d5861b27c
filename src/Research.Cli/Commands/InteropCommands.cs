using System.CommandLine;
using Research.Abstractions.Algorithms;
using Research.Host.Models;
using Research.Host.Training;
using Research.Interop.Keras;
using Research.Interop.Onnx;
using Research.Rl.Interop.Sb3;
using Research.Rl.Policies;

namespace Research.Cli.Commands;

/// <summary><c>research import …</c> and <c>research export …</c>: models to and from other tools (Stable-Baselines3 zips, ONNX, weight files).</summary>
internal static class InteropCommands
{
    public static Command Import(CliContext context)
    {
        var sb3Path = new Argument<string>("model") { Description = "A Stable-Baselines3 model .zip (PPO, A2C or DQN, SB3 1.x/2.x)." };
        var algorithm = new Option<string?>("--algo") { Description = "The algorithm, when it should not be detected from the file." };
        var output = new Option<string>("--output", "-o") { Description = "Our model .zip to write.", Required = true };
        var sb3 = new Command("sb3", "Convert a Stable-Baselines3 model file into a research model (weights, options, optimizer state).") { sb3Path, algorithm, output };
        sb3.SetAction(parse =>
        {
            string target = parse.GetValue(output)!;
            var result = Sb3Import.Convert(parse.GetValue(sb3Path)!, target, parse.GetValue(algorithm));
            foreach (var note in result.Notes) context.Out.WriteLine($"note: {note}");
            context.Out.WriteLine($"wrote {result.Algorithm} model {target}");
            return Program.Success;
        });
        var weightsPath = new Argument<string>("file") { Description = "Weights: .npz named as the policy's state dict, or Keras .h5 (by layer order and shape)." };
        var weightsAlgorithm = new Option<string>("--algo") { Description = "The algorithm whose policy receives the weights.", Required = true };
        var env = new Option<string>("--env") { Description = "The environment id (gives the spaces).", Required = true };
        var config = new Option<string[]>("--config") { Description = "Algorithm options as key=value (policy_kwargs.net_arch… must match the weights).", AllowMultipleArgumentsPerToken = true };
        var seed = new Option<int?>("--seed") { Description = "Seed of the new model." };
        var weightsOutput = new Option<string>("--output", "-o") { Description = "The model .zip to write.", Required = true };
        var weights = new Command("weights", "Create a model whose policy has weights from a .npz or a Keras .h5 file (RLlib's import_model).")
            { weightsPath, weightsAlgorithm, env, config, seed, weightsOutput };
        weights.SetAction(parse =>
        {
            string file = parse.GetValue(weightsPath)!, target = parse.GetValue(weightsOutput)!;
            using var run = (EnvironmentOwningAlgorithm)new AlgorithmFactory(context.Catalog)
                .Create(parse.GetValue(weightsAlgorithm)!, parse.GetValue(env)!, ConfigPairs.Parse(parse.GetValue(config) ?? []), parse.GetValue(seed));
            var policy = PolicyOf(run.Inner, file);
            if (file.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase)) KerasWeights.Load(policy, file);
            else policy.LoadWeights(file);
            run.Inner.Save(target);
            context.Out.WriteLine($"wrote {run.Inner.Name} model {target} with the weights of {file}");
            return Program.Success;
        });
        return new Command("import", "Bring models and weights from other tools.") { sb3, weights };
    }

    public static Command Export(CliContext context)
    {
        var modelPath = new Argument<string>("model") { Description = "A research model .zip (PPO, A2C or DQN)." };
        var output = new Option<string>("--output", "-o") { Description = "The Stable-Baselines3 .zip to write.", Required = true };
        var sb3 = new Command("sb3", "Write a research model as a Stable-Baselines3 v2 model file (PPO.load accepts it; learn continues).") { modelPath, output };
        sb3.SetAction(parse =>
        {
            string target = parse.GetValue(output)!;
            foreach (var note in Sb3Export.Convert(parse.GetValue(modelPath)!, target)) context.Out.WriteLine($"note: {note}");
            context.Out.WriteLine($"wrote Stable-Baselines3 model {target}");
            return Program.Success;
        });
        var onnxModel = new Argument<string>("model") { Description = "A research model .zip with a policy network (PPO, A2C, DQN, BC, GAIL)." };
        var onnxOutput = new Option<string>("--output", "-o") { Description = "The .onnx file to write.", Required = true };
        var onnx = new Command("onnx", "Write the model's deterministic actor as an ONNX graph (opset 13, dynamic batch; normalization and clipping folded in).") { onnxModel, onnxOutput };
        onnx.SetAction(parse =>
        {
            string source = parse.GetValue(onnxModel)!, target = parse.GetValue(onnxOutput)!;
            using var model = new ModelLoader(context.Catalog).Load(source);
            var policy = PolicyOf(model.Algorithm, source);
            policy.ExportOnnx(target, ObservationNormalization.FromModel(source));
            context.Out.WriteLine($"wrote ONNX graph {target} (input obs, outputs action and action_parameters; opset {OnnxExport.Opset})");
            return Program.Success;
        });
        return new Command("export", "Write models for other tools.") { sb3, onnx };
    }

    /// <summary>The policy network of a loaded model (every algorithm on AlgorithmBase exposes <c>Policy</c>).</summary>
    internal static PolicyBase PolicyOf(IAlgorithm algorithm, string path)
    {
        var inner = algorithm is EnvironmentOwningAlgorithm owning ? owning.Inner : algorithm;
        return inner.GetType().GetProperty("Policy")?.GetValue(inner) as PolicyBase
            ?? throw new NotSupportedException($"{path}: a {algorithm.Name} model has no policy network to export.");
    }
}
