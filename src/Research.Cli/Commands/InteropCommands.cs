using System.CommandLine;
using Research.Abstractions.Algorithms;
using Research.Host.Models;
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
        return new Command("import", "Bring models and weights from other tools.") { sb3 };
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
        var inner = algorithm is Research.Host.Training.EnvironmentOwningAlgorithm owning ? owning.Inner : algorithm;
        return inner.GetType().GetProperty("Policy")?.GetValue(inner) as PolicyBase
            ?? throw new NotSupportedException($"{path}: a {algorithm.Name} model has no policy network to export.");
    }
}
