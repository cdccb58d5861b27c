using System.CommandLine;
using Research.Abstractions.Spaces;
using Research.Host.Models;
using Research.Interop.Onnx;
using Research.Tensors.Io;

namespace Research.Cli.Commands;

/// <summary><c>research predict &lt;model.zip&gt; --obs obs.npy -o out.npy</c>: a saved model's actions (or action probabilities) for a batch of observations, as .npy for other programs.</summary>
internal static class PredictCommands
{
    public static Command Create(CliContext context)
    {
        var modelPath = new Argument<string>("model") { Description = "A model .zip saved by research train (any algorithm), or an .onnx policy from research export onnx." };
        var obs = new Option<string>("--obs") { Description = "Observations as .npy: one observation, or a batch along the first axis.", Required = true };
        var deterministic = new Option<bool>("--deterministic") { Description = "Take the most likely action instead of sampling." };
        var probs = new Option<bool>("--probs") { Description = "Write action probabilities (Discrete/MultiDiscrete/MultiBinary) or the Gaussian's mean and std (Box, as [batch, 2, n]) instead of actions." };
        var output = new Option<string>("--output", "-o") { Description = "The .npy file to write.", Required = true };
        var command = new Command("predict", "Predict actions for observations read from a .npy file.") { modelPath, obs, deterministic, probs, output };
        command.SetAction(parse =>
        {
            if (parse.GetValue(modelPath)!.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            {
                if (parse.GetValue(probs))
                    throw new ArgumentException("--probs needs a model .zip: an exported ONNX graph holds the deterministic actor only.");
                var written = PredictOnnx(parse.GetValue(modelPath)!, parse.GetValue(obs)!, parse.GetValue(output)!);
                context.Out.WriteLine($"wrote {NpyArray.FormatShape(written.Shape)} {written.DType} to {parse.GetValue(output)}");
                return Program.Success;
            }
            using var model = new ModelLoader(context.Catalog).Load(parse.GetValue(modelPath)!);
            string obsPath = parse.GetValue(obs)!;
            var input = Npy.Read(obsPath);
            var (batch, single) = BatchOf(input, model.ObservationSpace, obsPath);
            var observations = input.AsFloat32();
            var result = parse.GetValue(probs)
                ? Probabilities(model, observations, batch, single)
                : Actions(model, observations, batch, single, parse.GetValue(deterministic));
            string outPath = parse.GetValue(output)!;
            Npy.Write(outPath, result);
            context.Out.WriteLine($"wrote {NpyArray.FormatShape(result.Shape)} {result.DType} to {outPath}");
            return Program.Success;
        });
        return command;
    }

    // The graph's deterministic action for each observation; the graph declares the input shape (one observation, or a batch).
    private static NpyArray PredictOnnx(string onnxPath, string obsPath, string outPath)
    {
        var policy = OnnxPolicy.Load(onnxPath);
        var input = Npy.Read(obsPath);
        var expected = policy.InputShape.ToArray();
        bool single = input.Shape.SequenceEqual(expected);
        if (!single && !(input.Shape.Count == expected.Length + 1 && input.Shape.Skip(1).SequenceEqual(expected)))
            throw new FormatException($"{obsPath}: observations of shape {NpyArray.FormatShape(input.Shape)} do not fit {onnxPath}'s input {NpyArray.FormatShape(expected)} (or a batch of them).");
        int batch = single ? 1 : input.Shape[0];
        var action = policy.Run(input.AsFloat32(), batch)["action"];
        var values = action.ToArray();
        int[] shape = single ? action.Shape.ToArray()[1..] : action.Shape.ToArray();
        var result = policy.IsInteger("action") ? new NpyArray(values.Select(v => (long)v).ToArray(), shape) : new NpyArray(values, shape);
        Npy.Write(outPath, result);
        return result;
    }

    // One observation has the space's shape; a batch adds a leading axis. Dict observations are flat rows.
    private static (int Batch, bool Single) BatchOf(NpyArray input, Space space, string path)
    {
        var expected = space is DictSpace ? [space.FlatSize] : space.Shape.ToArray();
        var shape = input.Shape;
        if (shape.SequenceEqual(expected)) return (1, true);
        if (shape.Count == expected.Length + 1 && shape.Skip(1).SequenceEqual(expected)) return (shape[0], false);
        throw new FormatException(
            $"{path}: observations of shape {NpyArray.FormatShape(shape)} do not fit the model's observation space {space}; expected {NpyArray.FormatShape(expected)} or {NpyArray.FormatShape([0, .. expected]).Replace("(0", "(batch")}.");
    }

    private static NpyArray Actions(LoadedModel model, float[] observations, int batch, bool single, bool deterministic)
    {
        var space = model.ActionSpace;
        int obsSize = model.ObservationSpace.FlatSize, actSize = space.FlatSize;
        var actions = new float[batch * actSize];
        for (int i = 0; i < batch; i++)
            model.Algorithm.Predict(observations.AsSpan(i * obsSize, obsSize), actions.AsSpan(i * actSize, actSize), deterministic);
        int[] shape = space is DictSpace ? [actSize] : space.Shape.ToArray();
        if (!single) shape = [batch, .. shape];
        // Integer spaces come out as int64, as Stable-Baselines' predict returns them.
        return space is Box ? new NpyArray(actions, shape) : new NpyArray(actions.Select(a => (long)a).ToArray(), shape);
    }

    private static NpyArray Probabilities(LoadedModel model, float[] observations, int batch, bool single)
    {
        var values = ActionProbabilities.For(model.Algorithm)(observations, batch);
        int perObservation = values.Length / batch;
        int[] shape = model.ActionSpace is Box ? [2, perObservation / 2] : [perObservation];
        return new NpyArray(values, single ? shape : [batch, .. shape]);
    }
}
