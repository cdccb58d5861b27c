using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Tensors.Io.Pickle;
using Research.Tensors.Nn;

namespace Research.Rl.Interop.Sb3;

/// <summary>Reading and writing the values of Stable-Baselines3's <c>data</c> that are not plain JSON: schedules, activation classes, pickled items.</summary>
internal static class Sb3Data
{
    private static readonly (Activation Ours, string Module, string Class)[] Activations =
    [
        (Activation.Tanh, "torch.nn.modules.activation", "Tanh"), (Activation.Relu, "torch.nn.modules.activation", "ReLU"),
        (Activation.LeakyRelu, "torch.nn.modules.activation", "LeakyReLU"), (Activation.Elu, "torch.nn.modules.activation", "ELU"),
        (Activation.Sigmoid, "torch.nn.modules.activation", "Sigmoid"), (Activation.Softplus, "torch.nn.modules.activation", "Softplus"),
    ];

    /// <summary>An item as SB3 writes a value JSON cannot hold: its type, the pickle in base64.</summary>
    public static JsonObject Serialized(string type, object? value) => new()
    {
        [":type:"] = type,
        [":serialized:"] = Convert.ToBase64String(PickleWriter.Serialize(value)),
    };

    /// <summary>Our activation for a class string SB3 writes (<c>&lt;class 'torch.nn.modules.activation.Tanh'&gt;</c>).</summary>
    public static Activation ActivationFromText(string text, string where)
    {
        foreach (var (ours, module, name) in Activations)
            if (text == $"<class '{module}.{name}'>" || text == $"{module}.{name}") return ours;
        throw new Algorithms.ModelFormatException($"{where}: activation {text} is not supported (supported: {string.Join(", ", Activations.Select(a => a.Class))}).");
    }

    /// <summary>The torch class of our activation, as a pickle global.</summary>
    public static PyGlobal ActivationClass(Activation activation)
    {
        foreach (var (ours, module, name) in Activations)
            if (ours == activation) return new PyGlobal(module, name);
        throw new NotSupportedException($"Stable-Baselines3 export: activation {activation} has no PyTorch class here.");
    }

    /// <summary>Our activation's class name as SB3's readable field shows it.</summary>
    public static string ActivationText(Activation activation) => $"<class '{ActivationClass(activation)}'>";

    /// <summary>
    /// A schedule item (<c>learning_rate</c>, <c>clip_range</c>): a JSON number, or a cloudpickled function recognised without running it
    /// — SB3's constant schedule (<c>get_schedule_fn</c>/<c>constant_fn</c>) and the zoo's <c>linear_schedule</c>, whose one float is in
    /// the closure. Returns the zoo's spelling (<c>0.0003</c>, <c>lin_0.001</c>), or null with a note when it cannot be recovered.
    /// </summary>
    public static string? Schedule(Sb3Archive archive, string key, ICollection<string> notes)
    {
        if (!archive.Has(key)) return null;
        var item = archive.Item(key);
        switch (item.ValueKind)
        {
            case JsonValueKind.Number: return Format(item.GetDouble());
            case JsonValueKind.Null: return null;
            case JsonValueKind.Object:
                var trace = new List<object?>();
                archive.Inspect(key, trace);
                var names = trace.OfType<string>().ToList();
                var floats = trace.OfType<double>().ToList();
                if (floats.Count == 1 && names.Any(n => n is "get_schedule_fn.<locals>.<lambda>" or "constant_fn.<locals>.func"))
                    return Format(floats[0]);
                if (floats.Count == 1 && names.Any(n => n.StartsWith("linear_schedule.<locals>", StringComparison.Ordinal)))
                    return "lin_" + Format(floats[0]);
                notes.Add($"{key}: a Python function Stable-Baselines3 cannot show as data ({names.FirstOrDefault(n => n.Contains("<locals>", StringComparison.Ordinal)) ?? "unknown"}); not imported");
                return null;
            default:
                throw new Algorithms.ModelFormatException($"{archive.Path}: data.{key} is {item.ValueKind}, not a number or a schedule.");
        }
    }

    /// <summary>A schedule of ours (<c>0.0003</c>, <c>lin_0.001</c>) as SB3's data holds it: a number, or a pickled call of <c>get_linear_fn</c>.</summary>
    public static JsonNode? ScheduleItem(string text, string key)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double constant)) return constant;
        if (text.StartsWith("lin_", StringComparison.Ordinal))
        {
            var parts = text[4..].Split('_').Select(p => double.Parse(p, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            double end = parts.Length > 1 ? parts[1] : 0;
            // get_linear_fn(start, end, 1.0)(p) = start + (1 - p)(end - start): the same line as ours from start to end.
            return Serialized("<class 'function'>", Sb3Spaces.Call("stable_baselines3.common.utils", "get_linear_fn", parts[0], end, 1.0));
        }
        throw new NotSupportedException($"Stable-Baselines3 export: {key} '{text}' is a custom schedule with no Stable-Baselines3 equivalent.");
    }

    /// <summary>Readable first-level fields of a pickled dict item (SB3 writes them beside <c>:serialized:</c>), or the plain JSON object.</summary>
    public static JsonElement? Fields(Sb3Archive archive, string key) =>
        archive.Has(key) && archive.Item(key).ValueKind == JsonValueKind.Object ? archive.Item(key) : null;

    /// <summary>Shortest round-trip text of a double, as Python's repr.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
